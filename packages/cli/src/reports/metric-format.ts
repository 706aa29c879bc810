/** How the CLI and its reports show a metric value: integers as they are, other numbers to 6 significant digits. */
export const formatMetric = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6))
