/**
 * The {@link LiveMetrics} service of `@ganflow/trainers`, implemented with this package's features and metrics: an
 * evaluator opens the reference statistics stage's file and extractor once and scores a generator's images exactly
 * as the checkpoint metrics stage does (`scoreGeneratedImages`, the same sampling), with that stage's defaults for
 * everything the live config does not set (kept rows = samples, KID 100 subsets of up to 1,000, IS 10 splits) — so
 * the checkpoint metrics stage with the same `samples`, `batchSize` and `seed` reuses the live values. Extractors
 * that need a model input (Inception-v3, a trained classifier) are not available live: use the random CNN's.
 */
import { LiveMetrics, type LiveMetricEvaluator } from "@ganflow/trainers"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { scoreGeneratedImages, type ScoringSettings } from "../evaluation/score-generated-images.ts"
import { decodeFeatureStats } from "../stats/feature-stats-file.ts"
import { REFERENCE_STATS_FILE, type ReferenceStatsValue } from "../stages/reference-stats-stage.ts"
import { openStageExtractor } from "../stages/stage-extractor.ts"
import { generatorBatches } from "@ganflow/trainers"
import { checkpointMetricsParams } from "../stages/checkpoint-metrics-stage.ts"

/** The live-metrics service for training stages (provide it with the tensor backend). */
export const layerLiveMetrics: Layer.Layer<LiveMetrics> = Layer.succeed(
  LiveMetrics,
  LiveMetrics.of({
    open: (referenceOutput, description, config) =>
      Effect.gen(function* () {
        const value = referenceOutput.value as ReferenceStatsValue
        const path = referenceOutput.path(REFERENCE_STATS_FILE)
        const reference = yield* decodeFeatureStats(readFileSync(path), path)
        const extractor = yield* openStageExtractor(value.extractor, {})
        const defaults = checkpointMetricsParams({ samples: config.samples }) as typeof checkpointMetricsParams.infer
        const settings: ScoringSettings = { ...defaults, metrics: [config.metric], seed: config.seed, sampleCap: config.samples }
        if (description.outputRange !== "tanh") return yield* Effect.fail(new Error(`live metrics need an image generator (tanh output), not ${description.outputRange} samples`))
        const evaluator: LiveMetricEvaluator = {
          settings: {
            reference: referenceOutput.digest,
            extractor: reference.extractor,
            metrics: [config.metric],
            samples: config.samples,
            batchSize: config.batchSize,
            seed: config.seed,
            sampleCap: settings.sampleCap,
            kidSubsets: settings.kidSubsets,
            kidSubsetSize: settings.kidSubsetSize,
            isSplits: settings.isSplits,
            prdcK: settings.prdcK,
          },
          evaluate: (generator, step) =>
            Effect.runPromise(
              scoreGeneratedImages(extractor, reference, generatorBatches(generator, description, { count: config.samples, batchSize: config.batchSize, seed: config.seed }), {
                range: "[-1,1]",
                source: `step ${step}`,
                settings,
              }),
            ),
          dispose: () => extractor.dispose(),
        }
        return evaluator
      }).pipe(Effect.mapError((e) => (e instanceof Error ? e : new Error(String(e))))),
  }),
)
