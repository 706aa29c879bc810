/**
 * A metric stage over every checkpoint of a training stage: for each checkpoint it samples
 * images from the generator, gathers features with the reference's extractor and compares
 * them with the reference statistics, giving FID/KID/IS/… curves (`metrics.json`, and each
 * value recorded with ctx.metric(name, value, step)). It depends on the training stage's
 * output only, so changing the metric's params or code reruns the metrics, never the training.
 *
 * How checkpoints are found and sampled belongs to the trainer: {@link checkpointMetrics} reads the generator
 * snapshots a `train-gan` stage exports through `@ganflow/trainers`. The stage is built by a factory over a
 * {@link CheckpointSampler}, so a test can drive the same stage with other generators.
 *
 * Live values: a checkpoint the training stage already scored live (`train.liveMetrics`, kept in its
 * `live-metrics.json`) with the same reference statistics, extractor and settings (samples, batch size, seed, kept
 * rows, KID/IS/PRDC settings) and every metric asked for is not scored again: its values are reused as they are.
 *
 * The floor: with a `heldOut` data stage (one that split off `holdout.gfds`), the same metrics are computed for
 * up to `samples` held-out real images against the same reference — the best a generator can reach with this
 * extractor and sample count. They go to `floor.json` and the run metrics `<metric>-floor@…`, and the last
 * checkpoint's distance to them to `<metric>-gap@…` (last − floor; for IS, higher is better, so the gap is ≤ 0).
 */
import { isMetricsError } from "../errors.ts"
import { startedBackend } from "@ganflow/backend"
import { defineStage, folderInput, upstream, type UpstreamOutput, StageEvents, trySync } from "@ganflow/core"
import type * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { readUpstreamDataset, type DatasetStageValue } from "@ganflow/data/stages"
import { generatorBatches, generatorDescriptionOf, loadGenerator, readGeneratorSnapshots, readLiveMetrics, type LiveMetricsRow } from "@ganflow/trainers"
import type { TrainGanResult } from "@ganflow/trainers/stages"
import { metricsBetween, type MetricName, type MetricValues } from "../evaluation/metrics-between.ts"
import { scoreGeneratedImages, selectionFor } from "../evaluation/score-generated-images.ts"
import type { PixelRange } from "../extractors/feature-extractor.ts"
import { gatherFeatures } from "../features/gather-features.ts"
import { decodeFeatureStats } from "../stats/feature-stats-file.ts"
import { datasetImageBatches } from "./dataset-image-batches.ts"
import { REFERENCE_STATS_FILE, type ReferenceStatsValue } from "./reference-stats-stage.ts"
import type { FeatureClassifierValue } from "./feature-classifier-stage.ts"
import { openStageExtractor } from "./stage-extractor.ts"

/** One checkpoint of a training stage, as the sampler names it. */
export interface CheckpointRef {
  readonly id: string
  readonly step: number
}

/** What the trainer provides so that metrics can be computed per checkpoint. */
export interface CheckpointSampler<T = unknown> {
  /** Pixel range of the generator's images. */
  readonly range: PixelRange
  /** The checkpoints in the training stage's output, in training order. */
  readonly list: (training: UpstreamOutput<T>) => Promise<ReadonlyArray<CheckpointRef>>
  /**
   * `count` images from the checkpoint's generator in batches of `batchSize`, with latents
   * drawn from `seed` (the same for every checkpoint). The consumer disposes each batch.
   */
  readonly sample: (
    training: UpstreamOutput<T>,
    checkpoint: CheckpointRef,
    options: { readonly count: number; readonly batchSize: number; readonly seed: number },
  ) => AsyncIterable<tf.Tensor4D>
  /** Values the training stage computed live, with the settings they were computed with (none: always recompute). */
  readonly live?: (training: UpstreamOutput<T>) => ReadonlyArray<LiveMetricsRow>
}

/** What a checkpoint metrics stage returns: the extractor, how many checkpoints, and the last one's values. */
export interface CheckpointMetricsValue {
  readonly extractor: string
  readonly checkpoints: number
  readonly last: Readonly<Record<string, number>>
}

/** Params of a checkpoint metric stage. */
export const checkpointMetricsParams = type({
  metrics: [type("('fid' | 'kid' | 'is' | 'mode-score' | 'prdc')[]"), "=", () => ["fid", "kid"] as MetricName[]],
  /** generated images per checkpoint */
  samples: "number.integer >= 2 = 10000",
  batchSize: "number.integer > 0 = 100",
  seed: "number.integer >= 0 = 0",
  /** generated feature rows kept for KID / PRDC / IS */
  sampleCap: "number.integer >= 0 = 10000",
  kidSubsets: "number.integer > 0 = 100",
  kidSubsetSize: "number.integer >= 2 = 1000",
  isSplits: "number.integer > 0 = 10",
  prdcK: "number.integer > 0 = 3",
})

/** One row of `metrics.json`. */
export interface CheckpointMetricsRow {
  readonly [key: string]: unknown
  readonly checkpoint: string
  readonly step: number
  readonly values: MetricValues
}

/** File the stage writes. */
export const CHECKPOINT_METRICS_FILE = "metrics.json"
/** File with the held-out real data's metrics (the floor), `null` without a `heldOut` input. */
export const METRICS_FLOOR_FILE = "floor.json"

/** Content of `floor.json`: the metrics of `images` held-out real images of stage `source` against the reference. */
export interface MetricsFloor {
  readonly [key: string]: unknown
  readonly source: string
  readonly images: number
  readonly values: MetricValues
}

/** Whether a metric key is a spread (`kid-std@…`, `is-std@…`) rather than a value. */
const isSpread = (name: string): boolean => /-std\b/.test(name)

/** `fid@random-cnn-seed0` -> `fid-floor@random-cnn-seed0` (a derived metric keeps the extractor suffix). */
export const derivedMetricName = (name: string, suffix: string): string => {
  const at = name.indexOf("@")
  return at < 0 ? `${name}-${suffix}` : `${name.slice(0, at)}-${suffix}${name.slice(at)}`
}

/**
 * Defines a metric stage named `name` for the checkpoints `sampler` finds (the pipelines use {@link checkpointMetrics};
 * tests drive other generators). Pass the sampler's module (`import.meta.url`) so its code is fingerprinted into the
 * cache key. Inputs: `reference` (a reference-stats stage), `training` (the training stage), and the extractor's
 * model (`classifier` or `inceptionModel`) when the reference used one.
 */
export const defineCheckpointMetricsStage = <T>(options: {
  readonly name: string
  readonly module: string
  readonly sampler: CheckpointSampler<T>
  readonly version?: number
}) =>
  defineStage({
    name: options.name,
    resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
    version: options.version ?? 1,
    module: options.module,
    description: "FID/KID/IS/PRDC of every checkpoint of a training stage against reference statistics",
    params: checkpointMetricsParams,
    inputs: {
      reference: upstream<ReferenceStatsValue>(),
      training: upstream<T>(),
      classifier: upstream<FeatureClassifierValue>({ optional: true }),
      inceptionModel: folderInput({ optional: true }),
      /** A data stage with a holdout split: its held-out images give the floor. */
      heldOut: upstream<DatasetStageValue>({ optional: true }),
    },
    outputs: [CHECKPOINT_METRICS_FILE, METRICS_FLOOR_FILE],
    run: ({ params, inputs, outDir }) =>
      Effect.gen(function* () {
        const { log, metric, progress, env } = yield* StageEvents
        env({ backend: yield* startedBackend })
        const referencePath = inputs.reference.path(REFERENCE_STATS_FILE)
        const reference = yield* decodeFeatureStats(readFileSync(referencePath), referencePath)
        const extractor = yield* openStageExtractor(inputs.reference.value.extractor, inputs)
        const checkpoints = yield* Effect.promise(() => options.sampler.list(inputs.training))
        const rows: CheckpointMetricsRow[] = []
        const selection = (generatedRows: number) => selectionFor(params, reference, generatedRows)
        // values the training stage computed live for the same reference, extractor and settings are reused
        const live = options.sampler.live?.(inputs.training) ?? []
        const reusable = (step: number): MetricValues | undefined => {
          const row = live.find((r) => r.step === step)
          if (row === undefined) return undefined
          const s = row.settings
          const same =
            s.reference === inputs.reference.digest && s.extractor === reference.extractor && s.samples === params.samples && s.batchSize === params.batchSize &&
            s.seed === params.seed && s.sampleCap === params.sampleCap && s.kidSubsets === params.kidSubsets && s.kidSubsetSize === params.kidSubsetSize &&
            s.isSplits === params.isSplits && s.prdcK === params.prdcK && params.metrics.every((m) => s.metrics.includes(m))
          return same ? row.values : undefined
        }
        let floor: MetricsFloor | null = null
        yield* Effect.gen(function* () {
          const heldOutStage = inputs.heldOut
          if (heldOutStage?.value.holdout === 0) log(`${heldOutStage.stage} held no images out: no floor`)
          else if (heldOutStage !== undefined) {
            const heldOut = yield* trySync(() => readUpstreamDataset(heldOutStage, "holdout"), isMetricsError)
            const images = Math.min(params.samples, heldOut.shape[0] ?? 0)
            const source = `${heldOutStage.stage}:holdout`
            const stats = yield* gatherFeatures(extractor, datasetImageBatches(heldOut, params.batchSize, 0, images), {
              sourceRange: "[0,1]",
              source,
              sampleCap: params.sampleCap,
              seed: params.seed,
            })
            const values = yield* metricsBetween(reference, stats, selection(stats.samples?.rows ?? 0))
            // spreads (kid-std, is-std) stay in floor.json; a floor and a gap are of the values themselves
            for (const [name, value] of Object.entries(values)) if (!isSpread(name)) metric(derivedMetricName(name, "floor"), value)
            log(`floor (${images} held-out real images of ${source}): ${Object.entries(values).map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(" ")}`)
            floor = { source, images, values }
          }
          for (const [i, checkpoint] of checkpoints.entries()) {
            progress({ step: i, total: checkpoints.length, message: checkpoint.id })
            const reused = reusable(checkpoint.step)
            const values =
              reused ??
              (yield* scoreGeneratedImages(extractor, reference, options.sampler.sample(inputs.training, checkpoint, { count: params.samples, batchSize: params.batchSize, seed: params.seed }), {
                range: options.sampler.range,
                source: checkpoint.id,
                settings: params,
              }))
            for (const [name, value] of Object.entries(values)) metric(name, value, checkpoint.step)
            log(`${checkpoint.id} (step ${checkpoint.step}): ${Object.entries(values).map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(" ")}${reused === undefined ? "" : " (computed live by the training stage)"}`)
            rows.push({ checkpoint: checkpoint.id, step: checkpoint.step, values })
          }
        }).pipe(Effect.ensuring(Effect.sync(() => extractor.dispose())))
        const last = rows.at(-1)
        const floorValues: MetricValues = (floor as MetricsFloor | null)?.values ?? {}
        if (last !== undefined) {
          const gaps = Object.entries(last.values).flatMap(([name, value]) => (floorValues[name] === undefined || isSpread(name) ? [] : [[name, value - floorValues[name]!] as const]))
          for (const [name, gap] of gaps) metric(derivedMetricName(name, "gap"), gap)
          if (gaps.length > 0) log(`${last.checkpoint} (step ${last.step}) minus the floor: ${gaps.map(([k, v]) => `${k} ${v >= 0 ? "+" : ""}${v.toPrecision(4)}`).join(" ")}`)
        }
        writeFileSync(join(outDir, CHECKPOINT_METRICS_FILE), JSON.stringify(rows, null, 1))
        writeFileSync(join(outDir, METRICS_FLOOR_FILE), JSON.stringify(floor, null, 1))
        const value: CheckpointMetricsValue = { extractor: reference.extractor, checkpoints: rows.length, last: rows.at(-1)?.values ?? {} }
        return value
      }),
  })

/**
 * The sampler of `train-gan` outputs: checkpoints from `checkpoints.json`, images from each snapshot's generator with
 * latents drawn from the metric's seed (classes cycle for conditional models). Fails on a generator that does not
 * make images (tanh output).
 */
export const snapshotSampler: CheckpointSampler<TrainGanResult> = {
  range: "[-1,1]",
  list: async (training) => readGeneratorSnapshots(training.dir),
  sample: (training, checkpoint, options) => ({
    async *[Symbol.asyncIterator]() {
      const description = generatorDescriptionOf(training)
      if (description.outputRange !== "tanh") throw new Error(`checkpoint metrics need an image generator (tanh output); ${training.stage} makes ${description.outputRange} samples`)
      const generator = await loadGenerator(training, checkpoint.id)
      try {
        yield* generatorBatches(generator, description, options)
      } finally {
        generator.dispose()
      }
    },
  }),
  live: (training) => readLiveMetrics(training.dir),
}

/** Stage `checkpoint-metrics`: FID/KID/IS/PRDC of every generator snapshot of a `train-gan` stage. */
export const checkpointMetrics = defineCheckpointMetricsStage({ name: "checkpoint-metrics", module: import.meta.url, sampler: snapshotSampler })
