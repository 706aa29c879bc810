/**
 * A pipeline: a named DAG of stage instances, with profiles (named sets of param overrides, e.g. `full`).
 * Instances read from each other by name; the DAG is checked before anything runs.
 */
import type { ParamsPatch } from "./param-overrides.ts"
import type { StageInstance } from "./stage.ts"

/** A pipeline definition, the default export of `pipelines/src/<name>.ts`. */
export interface PipelineDefinition {
  readonly _tag: "Pipeline"
  readonly name: string
  readonly description: string | undefined
  readonly stages: ReadonlyArray<StageInstance>
  /** Named deep-partial params, merged onto the instances' with `--profile full`: `{ full: { train: { steps: 25000 } } }`. */
  readonly profiles: Readonly<Record<string, ParamsPatch>>
  /** Files to show the user after a run, as `<stage>/<path in its output>` (e.g. `samples/grid.png`). */
  readonly results: ReadonlyArray<string>
}

/** Define a pipeline. */
export const pipeline = (options: {
  readonly name: string
  readonly description?: string
  readonly stages: ReadonlyArray<StageInstance>
  readonly profiles?: Readonly<Record<string, ParamsPatch>>
  readonly results?: ReadonlyArray<string>
}): PipelineDefinition => ({
  _tag: "Pipeline",
  name: options.name,
  description: options.description,
  stages: options.stages,
  profiles: options.profiles ?? {},
  results: options.results ?? [],
})

/** Whether a value is a pipeline definition (for loaders). */
export const isPipeline = (value: unknown): value is PipelineDefinition =>
  typeof value === "object" && value !== null && (value as { _tag?: unknown })._tag === "Pipeline"
