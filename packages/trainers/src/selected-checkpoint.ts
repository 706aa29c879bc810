/**
 * The checkpoint a selection stage picked from a training stage's generator snapshots (`min fid`, `max is`, `last`),
 * as stages that draw from a generator (samples, the web demo) take it: with it they use that snapshot instead of
 * the final generator.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { FINAL_GENERATOR } from "./generator-sampling.ts"

/** What a checkpoint selection stage returns. */
export interface SelectedCheckpoint {
  /** The snapshot id in the training output (`step-000400`). */
  readonly checkpoint: string
  readonly step: number
  /** The rule as written (`min fid`). */
  readonly rule: string
  /** The metric key the rule chose by (`fid@random-cnn-seed0`); null for `last`. */
  readonly metric: string | null
  /** The chosen checkpoint's value of `metric`; null for `last`. */
  readonly value: number | null
  /** The snapshot's folder in the training output (`checkpoints/step-000400`). */
  readonly generatorFolder: string
}

/** The generator id a reader uses: the selected snapshot, else the final generator. */
export const selectedGeneratorId = (selection: UpstreamOutput<SelectedCheckpoint> | undefined): string => selection?.value.checkpoint ?? FINAL_GENERATOR
