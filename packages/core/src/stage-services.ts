/**
 * The services the runner provides to every stage it runs, one instance per stage execution: `StageEvents`
 * (progress, log lines, metrics, environment facts) and `StageCheckpoints` (the stage's checkpoints in the store).
 * A stage asks for them with `yield* StageEvents`; a test provides its own with `Effect.provideService`.
 */
import { Context } from "effect"
import type { Checkpoints } from "./checkpoints.ts"
import type { ProgressUpdate } from "./stage.ts"

/** What a stage reports while it runs. */
export interface StageEventsApi {
  /** Report progress (shown as a bar in a terminal, as plain lines otherwise). */
  readonly progress: (update: ProgressUpdate) => void
  /** Print a line attributed to this stage. */
  readonly log: (line: string) => void
  /** Record a metric (kept in the manifest and the run record); with `step`, also as a point of its series. */
  readonly metric: (name: string, value: number, step?: number) => void
  /** Record facts about the environment the stage ran in (backend, versions, threads); stored as JSON. */
  readonly env: (facts: Readonly<Record<string, unknown>>) => void
}

/** Progress, logs, metrics and environment facts of the running stage. */
export class StageEvents extends Context.Tag("@ganflow/core/stage-events")<StageEvents, StageEventsApi>() {}

/** The checkpoints of the running stage, keyed without the params named in its `resumeOmits`. */
export class StageCheckpoints extends Context.Tag("@ganflow/core/stage-checkpoints")<StageCheckpoints, Checkpoints>() {}

/** The services the runner itself provides to each stage. */
export type StageServices = StageEvents | StageCheckpoints
