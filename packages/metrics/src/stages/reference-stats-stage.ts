/**
 * Stage `reference-stats`: FeatureStats of a real dataset under one extractor, computed once
 * per (dataset, extractor) and cached like any stage output (`stats.gfstats`). Downstream
 * metric stages compare every checkpoint's samples with it.
 */
import type { DatasetStageValue } from "@ganflow/data/stages"
import type { FeatureClassifierValue } from "./feature-classifier-stage.ts"
import { isMetricsError } from "../errors.ts"
import { startedBackend } from "@ganflow/backend"
import { defineStage, folderInput, upstream, StageEvents, trySync } from "@ganflow/core"
import { readUpstreamDataset } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { gatherFeatures } from "../features/gather-features.ts"
import { encodeFeatureStats } from "../stats/feature-stats-file.ts"
import { datasetImageBatches } from "./dataset-image-batches.ts"
import { openStageExtractor, type ExtractorChoice } from "./stage-extractor.ts"

/** File the stage writes. */
export const REFERENCE_STATS_FILE = "stats.gfstats"

/** Params of {@link referenceStats}. */
export const referenceStatsParams = type({
  extractor: "'mnist-lenet' | 'inception-v3' | 'random-cnn' = 'mnist-lenet'",
  /** random-cnn weight seed */
  randomCnnSeed: "number.integer >= 0 = 0",
  /** which file of the data stage: its training set or its holdout */
  split: "'train' | 'holdout' = 'train'",
  /** feature rows kept for KID / precision-recall / IS */
  sampleCap: "number.integer >= 0 = 10000",
  batchSize: "number.integer > 0 = 100",
  seed: "number.integer >= 0 = 0",
})

/** The stage's JSON value: what a downstream metric stage needs to open the same extractor. */
export interface ReferenceStatsValue {
  readonly [key: string]: unknown
  readonly extractor: ExtractorChoice
  readonly extractorName: string
  readonly count: number
  readonly dim: number
  readonly sampleRows: number
}

/** Computes the reference FeatureStats of the upstream dataset's images. */
export const referenceStats = defineStage({
  name: "reference-stats",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 1,
  description: "mean/covariance (+ capped samples) of a real dataset's features, once per (dataset, extractor)",
  params: referenceStatsParams,
  inputs: { dataset: upstream<DatasetStageValue>(), classifier: upstream<FeatureClassifierValue>({ optional: true }), inceptionModel: folderInput({ optional: true }) },
  outputs: [REFERENCE_STATS_FILE],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, env } = yield* StageEvents
      const backend = yield* startedBackend
      const dataset = yield* trySync(() => readUpstreamDataset(inputs.dataset, params.split), isMetricsError)
      const [, h, w, c] = dataset.shape as [number, number, number, number]
      const choice: ExtractorChoice = { kind: params.extractor, seed: params.randomCnnSeed, inputSize: [h, w, c] }
      const extractor = yield* openStageExtractor(choice, inputs)
      env({ backend, extractor: extractor.description })
      const stats = yield* gatherFeatures(extractor, datasetImageBatches(dataset, params.batchSize), {
        sourceRange: "[0,1]",
        source: `${inputs.dataset.stage}:${params.split}`,
        sampleCap: params.sampleCap,
        seed: params.seed,
      }).pipe(Effect.ensuring(Effect.sync(() => extractor.dispose())))
      writeFileSync(join(outDir, REFERENCE_STATS_FILE), encodeFeatureStats(stats))
      log(`${stats.count} images -> ${extractor.name} features (${stats.dim}), ${stats.samples?.rows ?? 0} rows kept`)
      const value: ReferenceStatsValue = {
        extractor: choice,
        extractorName: stats.extractor,
        count: stats.count,
        dim: stats.dim,
        sampleRows: stats.samples?.rows ?? 0,
      }
      return value
    }),
})
