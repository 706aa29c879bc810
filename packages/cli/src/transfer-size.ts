/** Byte counts as people read them in transfer summaries. */

/** `1.2 MB`, `340 kB`, `12 B` (decimal units, as `gc` reports). */
export const formatBytes = (bytes: number): string =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`
