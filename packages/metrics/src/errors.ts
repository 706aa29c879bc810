import { taggedErrors } from "@ganflow/core"
import { isDataError, type DataError } from "@ganflow/data"
import { Data } from "effect"

/** Two feature sets (or statistics) that must share a feature size do not. */
export class FeatureSizeMismatch extends Data.TaggedError("FeatureSizeMismatch")<{
  readonly metric: string
  readonly first: string
  readonly firstSize: number
  readonly second: string
  readonly secondSize: number
}> {
  override get message() {
    return `${this.metric}: feature sizes differ: ${this.first} has ${this.firstSize} features per sample, ${this.second} has ${this.secondSize}`
  }
}

/** A feature set has too few samples for the metric (none at all, or fewer than it needs). */
export class TooFewSamples extends Data.TaggedError("TooFewSamples")<{
  readonly metric: string
  readonly which: string
  readonly needed: number
  readonly actual: number
}> {
  override get message() {
    return `${this.metric}: ${this.which} has ${this.actual} samples, needs at least ${this.needed}`
  }
}

/** A feature matrix whose data length does not match rows x cols, or with a non-finite value. */
export class FeatureMatrixInvalid extends Data.TaggedError("FeatureMatrixInvalid")<{
  readonly which: string
  readonly reason: string
}> {
  override get message() {
    return `feature matrix ${this.which} is invalid: ${this.reason}`
  }
}

/** A metric came out NaN or infinite even after the ε·I retry (non-finite inputs). */
export class MetricNotFinite extends Data.TaggedError("MetricNotFinite")<{
  readonly metric: string
  readonly reason: string
}> {
  override get message() {
    return `${this.metric} is not finite: ${this.reason}`
  }
}

/** Two statistics computed with different feature extractors were compared. */
export class ExtractorMismatch extends Data.TaggedError("ExtractorMismatch")<{
  readonly metric: string
  readonly first: string
  readonly second: string
}> {
  override get message() {
    return `${this.metric}: statistics come from different feature extractors (${this.first} vs ${this.second})`
  }
}

/** A FeatureStats file that cannot be read back (bad JSON, wrong schema, lengths, digest). */
export class FeatureStatsInvalid extends Data.TaggedError("FeatureStatsInvalid")<{
  readonly file: string
  readonly reason: string
}> {
  override get message() {
    return `feature statistics ${this.file} are invalid: ${this.reason}`
  }
}

/** A feature extractor's model cannot be loaded or does not have the expected shape. */
export class ExtractorModelInvalid extends Data.TaggedError("ExtractorModelInvalid")<{
  readonly extractor: string
  readonly path: string
  readonly reason: string
}> {
  override get message() {
    return `feature extractor ${this.extractor} (${this.path}): ${this.reason}`
  }
}

/** Images handed to an extractor have the wrong rank, channels or value range. */
export class ImageBatchInvalid extends Data.TaggedError("ImageBatchInvalid")<{
  readonly extractor: string
  readonly reason: string
}> {
  override get message() {
    return `feature extractor ${this.extractor}: ${this.reason}`
  }
}

/** Two images a full-reference metric (L1, PSNR, SSIM) compares do not fit: different sizes, too small, bad range. */
export class ImagesIncomparable extends Data.TaggedError("ImagesIncomparable")<{
  readonly metric: string
  readonly reason: string
}> {
  override get message() {
    return `${this.metric}: ${this.reason}`
  }
}

/** Every error this package can fail with. */
export type MetricsError =
  | FeatureSizeMismatch
  | TooFewSamples
  | FeatureMatrixInvalid
  | MetricNotFinite
  | ExtractorMismatch
  | FeatureStatsInvalid
  | ExtractorModelInvalid
  | ImageBatchInvalid
  | ImagesIncomparable

/** Whether a thrown value is one of this package's errors or the data package's (for a stage boundary). */
export const isMetricsError = (error: unknown): error is MetricsError | DataError =>
  isDataError(error) ||
  taggedErrors(FeatureSizeMismatch, TooFewSamples, FeatureMatrixInvalid, MetricNotFinite, ExtractorMismatch, FeatureStatsInvalid, ExtractorModelInvalid, ImageBatchInvalid, ImagesIncomparable)(error)

