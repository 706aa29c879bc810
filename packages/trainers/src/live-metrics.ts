/**
 * Live metrics: the training stage scores its own generator every `every` steps (`train.liveMetrics: { every, metric,
 * samples }`) against the pipeline's reference statistics (the stage's `reference` input), writes the value to the
 * step log, TensorBoard and the progress line, feeds early stopping, and keeps every evaluation in
 * `live-metrics.json` so that a checkpoint metrics stage with the same reference, extractor and sample settings
 * reuses the values instead of recomputing them. The scoring itself is `@ganflow/metrics`' (features, FID), reached
 * through the {@link LiveMetrics} service, which the runner provides (`layerLiveMetrics` from `@ganflow/metrics/live`)
 * — the trainer does not depend on the metrics package.
 */
import type { UpstreamOutput } from "@ganflow/core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { Context, type Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { GeneratorDescription } from "./generator-description.ts"

/** The live-metrics config (`train.liveMetrics`). */
export const LiveMetricsConfig = type({
  "+": "reject",
  /** Score the generator every N steps (at checkpoint steps too, when they coincide, so the metrics stage can reuse them). */
  every: "number.integer > 0",
  /** Which metric. */
  metric: "'fid' | 'kid' | 'is' = 'fid'",
  /** Generated images per evaluation (the checkpoint metrics stage's `samples`). */
  samples: "number.integer >= 2 = 2000",
  /** Images per generator batch (the metrics stage's `batchSize`). */
  batchSize: "number.integer > 0 = 100",
  /** Seed of the latents and of the kept-rows reservoir (the metrics stage's `seed`). */
  seed: "number.integer >= 0 = 0",
})

/** A validated live-metrics config. */
export type LiveMetricsConfig = typeof LiveMetricsConfig.infer

/**
 * Everything a metric value depends on besides the generator's weights: the same settings give the same value, so
 * a checkpoint metrics stage compares its own with these before reusing a live value.
 */
export interface LiveMetricSettings {
  /** Digest of the reference statistics stage's output. */
  readonly reference: string
  /** The extractor's key (`random-cnn-seed0`). */
  readonly extractor: string
  readonly metrics: ReadonlyArray<string>
  readonly samples: number
  readonly batchSize: number
  readonly seed: number
  readonly sampleCap: number
  readonly kidSubsets: number
  readonly kidSubsetSize: number
  readonly isSplits: number
  readonly prdcK: number
}

/** One evaluation, as kept in `live-metrics.json`. */
export interface LiveMetricsRow {
  readonly step: number
  readonly settings: LiveMetricSettings
  /** Values keyed as the metrics stage keys them (`fid@random-cnn-seed0`). */
  readonly values: Readonly<Record<string, number>>
}

/** The file of a training output holding its live evaluations, oldest first. */
export const LIVE_METRICS_FILE = "live-metrics.json"

/** The live evaluations of a training output (none when it had no live metrics). */
export const readLiveMetrics = (trainingDir: string): ReadonlyArray<LiveMetricsRow> => {
  const file = join(trainingDir, LIVE_METRICS_FILE)
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as LiveMetricsRow[]) : []
}

/** Scores generators against one reference; owns its feature extractor (call `dispose`). */
export interface LiveMetricEvaluator {
  readonly settings: LiveMetricSettings
  /** The metric values of `generator` (as it is now: the caller sets the weights to score). */
  readonly evaluate: (generator: tfl.LayersModel, step: number) => Promise<Readonly<Record<string, number>>>
  readonly dispose: () => void
}

/** Opens live evaluators: the service the training stage asks for when `liveMetrics` is set. */
export class LiveMetrics extends Context.Tag("@ganflow/trainers/live-metrics")<
  LiveMetrics,
  {
    /** An evaluator of `description`'s generators against the reference statistics stage `reference`. */
    readonly open: (reference: UpstreamOutput<unknown>, description: GeneratorDescription, config: LiveMetricsConfig) => Effect.Effect<LiveMetricEvaluator, Error>
  }
>() {}
