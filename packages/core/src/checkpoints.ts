/**
 * Checkpoints of long stages, kept in the store as content-addressed objects. They are keyed by everything in
 * the stage's cache key except the params the stage lists in `resumeOmits` (its step budget, typically), so
 * a killed run resumes from its last checkpoint and a run with a raised budget continues from the last one.
 */
import type { Json } from "./canonical-json.ts"

/** A checkpoint committed to the store. `dir` is a read-only folder holding its files. */
export interface Checkpoint {
  readonly step: number
  readonly dir: string
  readonly digest: string
  readonly files: ReadonlyArray<string>
  readonly meta: Json
}

/** The checkpoints of one stage instance, as seen from inside its run. */
export interface Checkpoints {
  /** The key checkpoints of this stage are filed under. */
  readonly key: string
  /** The checkpoint with the highest step whose files verify, if any. Corrupt ones are skipped and reported. */
  readonly latest: () => Checkpoint | undefined
  /** All valid checkpoints, by step ascending. */
  readonly list: () => ReadonlyArray<Checkpoint>
  /** Move the files of `fromDir` into the store as the checkpoint of `step` (replacing one of the same step). */
  readonly save: (step: number, fromDir: string, meta?: Json) => Checkpoint
  /** A fresh empty folder (removed when the run ends) to write a checkpoint into before `save`. */
  readonly scratch: () => string
}
