import { Effect } from "effect"
import { ExtractorMismatch, TooFewSamples, type MetricsError } from "../errors.ts"
import { metricKey } from "../extractors/feature-extractor.ts"
import { frechetDistance } from "../maths/frechet-distance.ts"
import { inceptionScore } from "../maths/inception-score.ts"
import { kernelInceptionDistance, type KernelInceptionDistanceOptions } from "../maths/kernel-inception-distance.ts"
import { modeScore } from "../maths/mode-score.ts"
import { precisionRecallDensityCoverage } from "../maths/precision-recall-density-coverage.ts"
import type { FeatureStats } from "../stats/feature-stats.ts"

/** Metrics that can be asked for. "prdc" gives precision, recall, density and coverage. */
export type MetricName = "fid" | "kid" | "is" | "mode-score" | "prdc"

/** Which metrics to compute and their settings. */
export interface MetricSelection {
  readonly metrics: readonly MetricName[]
  /** KID settings; subsetSize defaults to min(1000, rows kept on either side). */
  readonly kid?: KernelInceptionDistanceOptions
  /** IS splits (default 10). */
  readonly isSplits?: number
  /** k of the k-NN balls for precision/recall/density/coverage (default 3). */
  readonly prdcK?: number
}

/**
 * Metric values keyed `<metric>@<extractor>`: `fid@inception-v3`, `kid@…` and `kid-std@…`,
 * `is@…` and `is-std@…` (of the generated set), `mode-score@…`, `precision@…`, `recall@…`,
 * `density@…`, `coverage@…`.
 */
export type MetricValues = Readonly<Record<string, number>>

/**
 * Compares generated statistics with reference (real) statistics from the same extractor.
 * FID uses the moments over all samples; KID, PRDC, IS and mode score use the kept samples.
 * Fails with ExtractorMismatch, TooFewSamples (a metric needs samples or logits that were not
 * kept) or the metric's own errors.
 */
export const metricsBetween = (
  real: FeatureStats,
  generated: FeatureStats,
  selection: MetricSelection,
): Effect.Effect<MetricValues, MetricsError> =>
  Effect.gen(function* () {
    if (real.extractor !== generated.extractor) {
      return yield* Effect.fail(new ExtractorMismatch({ metric: selection.metrics.join(","), first: real.extractor, second: generated.extractor }))
    }
    const at = (metric: string) => metricKey(metric, { name: real.extractor })
    const out: Record<string, number> = {}
    const samplesOf = (stats: FeatureStats, metric: string, which: string) =>
      stats.samples === null
        ? Effect.fail(new TooFewSamples({ metric, which: `${which} (no samples kept)`, needed: 1, actual: 0 }))
        : Effect.succeed(stats.samples)
    const logitsOf = (stats: FeatureStats, metric: string, which: string) =>
      stats.logits === null
        ? Effect.fail(new TooFewSamples({ metric, which: `${which} logits (none kept, or the extractor has no classifier)`, needed: 1, actual: 0 }))
        : Effect.succeed(stats.logits)
    for (const metric of selection.metrics) {
      switch (metric) {
        case "fid":
          out[at("fid")] = (yield* frechetDistance(real, generated)).value
          break
        case "kid": {
          const x = yield* samplesOf(real, "kid", "real")
          const y = yield* samplesOf(generated, "kid", "generated")
          const subsetSize = selection.kid?.subsetSize ?? Math.min(1000, x.rows, y.rows)
          const kid = yield* kernelInceptionDistance(x, y, { ...selection.kid, subsetSize })
          out[at("kid")] = kid.mean
          out[at("kid-std")] = kid.std
          break
        }
        case "is": {
          const score = yield* inceptionScore(yield* logitsOf(generated, "is", "generated"), { splits: selection.isSplits ?? 10 })
          out[at("is")] = score.mean
          out[at("is-std")] = score.std
          break
        }
        case "mode-score":
          out[at("mode-score")] = (yield* modeScore(yield* logitsOf(generated, "mode score", "generated"), yield* logitsOf(real, "mode score", "real"))).value
          break
        case "prdc": {
          const r = yield* precisionRecallDensityCoverage(yield* samplesOf(real, "prdc", "real"), yield* samplesOf(generated, "prdc", "generated"), selection.prdcK ?? 3)
          out[at("precision")] = r.precision
          out[at("recall")] = r.recall
          out[at("density")] = r.density
          out[at("coverage")] = r.coverage
          break
        }
      }
    }
    return out
  })
