import { taggedErrors } from "@ganflow/core"
import { isDataError, type DataError } from "@ganflow/data"
import { Data } from "effect"

/**
 * A loss became NaN or infinite, or exceeded the divergence guard's bound or growth limit; the update of that
 * step was not applied, so the weights are the last good ones.
 */
export class TrainingDiverged extends Data.TaggedError("TrainingDiverged")<{
  /** The generator step (1-based) whose loss was not acceptable. */
  readonly step: number
  /** Which player's loss: `"discriminator"` or `"generator"`. */
  readonly phase: string
  readonly value: number
  /** Why a finite loss counts as diverged (absent for NaN/Inf). */
  readonly reason?: string
}> {
  override get message() {
    return `training diverged at step ${this.step}: ${this.phase} loss is ${this.value}${this.reason === undefined ? "" : `, ${this.reason}`} (lower the learning rates, or see the loss curves)`
  }
}

/** The training config does not fit the schema; `reason` names the field (arktype's summary). */
export class TrainConfigInvalid extends Data.TaggedError("TrainConfigInvalid")<{ readonly reason: string }> {
  override get message() {
    return `invalid training config: ${this.reason}`
  }
}

/** A checkpoint folder is missing files, has a bad manifest, or does not fit the models being trained. */
export class CheckpointInvalid extends Data.TaggedError("CheckpointInvalid")<{ readonly dir: string; readonly reason: string }> {
  override get message() {
    return `checkpoint ${this.dir} is invalid: ${this.reason}`
  }
}

/** The training data does not fit the models (shape, labels for a conditional GAN, too few items for a batch). */
export class TrainingDataInvalid extends Data.TaggedError("TrainingDataInvalid")<{ readonly reason: string }> {
  override get message() {
    return `training data does not fit: ${this.reason}`
  }
}

/** An exported generator's description (`gan.json`) is missing or does not fit its schema. */
export class GeneratorDescriptionInvalid extends Data.TaggedError("GeneratorDescriptionInvalid")<{ readonly file: string; readonly reason: string }> {
  override get message() {
    return `generator description ${this.file} is invalid: ${this.reason}`
  }
}

/** Every error the trainer can fail with. */
export type TrainerError = TrainingDiverged | TrainConfigInvalid | CheckpointInvalid | TrainingDataInvalid | GeneratorDescriptionInvalid

/** Whether a thrown value is one of the trainer's errors or the data package's (for a stage boundary). */
export const isTrainerError = (error: unknown): error is TrainerError | DataError =>
  isDataError(error) || taggedErrors(TrainingDiverged, TrainConfigInvalid, CheckpointInvalid, TrainingDataInvalid, GeneratorDescriptionInvalid)(error)
