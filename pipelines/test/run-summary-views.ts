/** Small views of a run, shared by the pipeline tests. */
import { assignment, type Json, type ParamOverride, parseAssignment, type RunSummary } from "@ganflow/core"

/** What `--set k=v` gives for each entry of a map of `stage.param` values. */
export const asOverrides = (params: Readonly<Record<string, Json>>): ParamOverride[] => Object.entries(params).map(([k, v]) => valid(assignment(k, v)))

/** `--set` texts as the command line parses them. */
export const parsedSet = (texts: ReadonlyArray<string>): ParamOverride[] => texts.map((t) => valid(parseAssignment(t)))

const valid = (o: ParamOverride | string): ParamOverride => {
  if (typeof o === "string") throw new Error(o)
  return o
}

/** Each stage's status, by stage name. */
export const statuses = (s: RunSummary): Record<string, string> => Object.fromEntries(s.stages.map((o) => [o.name, o.status]))

/** The output folder of a stage of a run. */
export const dirOf = (s: RunSummary, stage: string): string => s.stages.find((o) => o.name === stage)!.dir!
