/**
 * Scoring a stream of generated images against reference statistics: gather their features with the reference's
 * extractor, then compute the asked metrics. The one path the checkpoint metrics stage and the trainer's live
 * metrics share, so the same images and settings give the same values.
 */
import type { LiveMetricSettings } from "@ganflow/trainers"
import type * as tf from "@tensorflow/tfjs-core"
import type { Effect } from "effect"
import { Effect as E } from "effect"
import type { MetricsError } from "../errors.ts"
import type { FeatureExtractor, PixelRange } from "../extractors/feature-extractor.ts"
import { gatherFeatures } from "../features/gather-features.ts"
import type { FeatureStats } from "../stats/feature-stats.ts"
import { metricsBetween, type MetricName, type MetricValues } from "./metrics-between.ts"

/**
 * What a score depends on besides the images and how they are drawn (the checkpoint metrics stage's params; the
 * live metrics' settings record the same fields): the metrics, the reservoir seed, the feature rows kept (KID, PRDC,
 * IS), and KID/IS/PRDC's own settings.
 */
export type ScoringSettings = Pick<LiveMetricSettings, "seed" | "sampleCap" | "kidSubsets" | "kidSubsetSize" | "isSplits" | "prdcK"> & {
  readonly metrics: ReadonlyArray<MetricName>
}

/** The metric values of `images` (range `range`, labelled `source`) against `reference`; takes ownership of every batch. */
export const scoreGeneratedImages = (
  extractor: FeatureExtractor,
  reference: FeatureStats,
  images: AsyncIterable<tf.Tensor4D>,
  options: { readonly range: PixelRange; readonly source: string; readonly settings: ScoringSettings },
): Effect.Effect<MetricValues, MetricsError> =>
  E.gen(function* () {
    const { settings } = options
    const generated = yield* gatherFeatures(extractor, images, { sourceRange: options.range, source: options.source, sampleCap: settings.sampleCap, seed: settings.seed })
    return yield* metricsBetween(reference, generated, selectionFor(settings, reference, generated.samples?.rows ?? 0))
  })

/** The metric selection of `settings` for a generated set with `generatedRows` kept rows (KID's subset size capped by both sides). */
export const selectionFor = (settings: ScoringSettings, reference: FeatureStats, generatedRows: number) => ({
  metrics: [...settings.metrics],
  kid: { subsets: settings.kidSubsets, subsetSize: Math.min(settings.kidSubsetSize, reference.samples?.rows ?? 0, generatedRows) },
  isSplits: settings.isSplits,
  prdcK: settings.prdcK,
})
