/** Small views of a run, shared by the pipeline tests. */
import type { RunSummary } from "@ganflow/core"

/** `--set` strings for a map of `stage.param` overrides (values as JSON). */
export const asSet = (params: Record<string, unknown>): string[] => Object.entries(params).map(([k, v]) => `${k}=${JSON.stringify(v)}`)

/** Each stage's status, by stage name. */
export const statuses = (s: RunSummary): Record<string, string> => Object.fromEntries(s.stages.map((o) => [o.name, o.status]))

/** The output folder of a stage of a run. */
export const dirOf = (s: RunSummary, stage: string): string => s.stages.find((o) => o.name === stage)!.dir!
