/**
 * The params of a run as one flat table: `<stage>.<path>` (`train.model.options.ngf`) -> the value as canonical
 * JSON, in the order the stages ran. The one flattening that `ganflow diff`, the diff report and the run report share.
 */
import { canonicalJson, flattenParams, type RunRecord } from "@ganflow/core"

/** Every param of every stage of `run`, keyed `<stage>.<path>`, valued as canonical JSON. */
export const runParams = (run: RunRecord): Map<string, string> =>
  new Map(run.stages.flatMap((s) => Object.entries(flattenParams(s.params)).map(([k, v]) => [`${s.name}.${k}`, canonicalJson(v)] as const)))
