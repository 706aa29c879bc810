/**
 * The executor seam: the service that decides *where* a ready stage runs. The runner computes keys and reasons,
 * answers cached stages itself (they never reach an executor), and hands each stage that must run to the
 * `StageExecutor` of the context: the local one (the default) runs it in this process; another (Slurm) runs it
 * elsewhere — where the same runner takes the same lock and commits with the same protocol — and hands back the
 * committed entry. Keys, early cutoff, locks and the commit protocol are therefore the same for every executor.
 */
import { Context, Effect } from "effect"
import type { KeyRecord } from "./cache-key.ts"
import type { Json } from "./canonical-json.ts"
import type { StageFailed } from "./errors.ts"
import type { Plan, PlannedStage } from "./plan.ts"
import type { Manifest } from "./store.ts"

/** A committed stage entry. */
export interface CommittedEntry {
  readonly manifest: Manifest
  readonly dir: string
}

/** One stage that must run, as the runner hands it to an executor. */
export interface StageTask<E> {
  readonly plan: Plan
  readonly stage: PlannedStage
  /** The cache key the stage's outputs will be committed under, and the record it is the hash of. */
  readonly key: string
  readonly record: KeyRecord
  /** Why it must run (`code changed: …`). */
  readonly reasons: ReadonlyArray<string>
  /** Runs the stage in this process: lock, run, commit (what the local executor does). */
  readonly inProcess: Effect.Effect<CommittedEntry, E>
  /** The entry committed under `key` once the stage ran elsewhere; fails naming the stage when there is none. */
  readonly committed: Effect.Effect<CommittedEntry, StageFailed>
  /** Reports that the stage started running elsewhere, with where (recorded in the run record's stage outcome). */
  readonly started: (facts: Readonly<Record<string, Json>>) => Effect.Effect<void>
  /** Records more facts of where it runs (a retry's job id), merged into the outcome's `executor` record. */
  readonly note: (facts: Readonly<Record<string, Json>>) => Effect.Effect<void>
  /** A line of the stage's log, shown as the stage's own. */
  readonly log: (line: string) => Effect.Effect<void>
}

/** How a task ended: the committed entry, and whether it ran in this process or elsewhere. */
export interface ExecutedStage extends CommittedEntry {
  readonly ranElsewhere: boolean
}

/** Decides where a ready stage runs (see the module comment). */
export class StageExecutor extends Context.Tag("@ganflow/core/stage-executor")<
  StageExecutor,
  {
    /** Short name shown in run records (`local`, `slurm`). */
    readonly name: string
    readonly execute: <E>(task: StageTask<E>) => Effect.Effect<ExecutedStage, E | StageFailed>
  }
>() {}

/** Runs every stage in this process (today's behaviour; the default when no executor is provided). */
export const localExecutor = StageExecutor.of({
  name: "local",
  execute: (task) => Effect.map(task.inProcess, (entry) => ({ ...entry, ranElsewhere: false })),
})

/** The executor of the context, else the local one. */
export const currentExecutor = Effect.map(Effect.serviceOption(StageExecutor), (found) => (found._tag === "Some" ? found.value : localExecutor))
