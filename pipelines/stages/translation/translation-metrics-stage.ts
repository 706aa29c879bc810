/**
 * Stage `translation-metrics`: per checkpoint of an image-to-image training stage, how well its translations of the
 * test images match the target domain —
 * - FID of the translations against the target domain's real images (the data stage's train split of B, or its
 *   test split) with the named extractor (`fid@random-cnn-seed0`; with `backward`, both directions:
 *   `fid-ab@…` and `fid-ba@…`), and the floor: the real test images of the target domain against the same
 *   reference (run metrics `fid-floor@…`, `fid-ab-floor@…`; `floor.json` as checkpoint-metrics writes it);
 * - on paired data, against each input's own target: mean L1 (pixels in [0, 1]), PSNR (dB, uint8, data range 255)
 *   and SSIM in both variants (`ssim-wang2004`, `ssim-skimage`; uint8, data range 255, as
 *   `skimage.metrics.structural_similarity(…, channel_axis=-1)`), averaged over the test images.
 * Writes `metrics.json` (rows as the checkpoint-metrics stage writes them, so render-curves charts them) and
 * records every value with its step. It reads the training stage's output only: a metric param reruns only this stage.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { startedBackend } from "@ganflow/backend"
import { defineStage, folderInput, StageEvents, tryAsync, trySync, upstream } from "@ganflow/core"
import { centreCroppedImages, isDataError, type UInt8Dataset } from "@ganflow/data"
import { readUpstreamTranslation, type TranslationStageValue } from "@ganflow/data/stages"
import { frechetDistance, gatherFeatures, imagePlanes, isMetricsError, meanAbsoluteError, metricKey, peakSignalNoiseRatio, structuralSimilarity, tensorBatches, type FeatureExtractor, type FeatureStats } from "@ganflow/metrics"
import { CHECKPOINT_METRICS_FILE, type CheckpointMetricsRow, type CheckpointMetricsValue, datasetImageBatches, METRICS_FLOOR_FILE, type MetricsFloor, openStageExtractor } from "@ganflow/metrics/stages"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Effect } from "effect"
import { loadTranslator, tanhToUint8, translateImages, translationSnapshots } from "./translation-snapshots.ts"

/** Params of {@link translationMetrics}. */
export const translationMetricsParams = type({
  "+": "reject",
  /** Feature extractor of the FID: a seeded random CNN (no download; named in the key) or Inception-v3 (`inceptionModel` input). */
  extractor: "'random-cnn' | 'inception-v3' = 'random-cnn'",
  randomCnnSeed: "number.integer >= 0 = 0",
  /** The network translating A to B. */
  forward: "string = 'generator'",
  /** The network translating B to A (CycleGAN); empty: one direction. */
  backward: "string = ''",
  /** Test images translated per checkpoint (the first of the test split); 0 = all. */
  samples: "number.integer >= 0 = 0",
  /** Real images of the target domain for the FID reference: the data stage's train split or its test split. */
  reference: "'train' | 'test' = 'train'",
  batchSize: "number.integer > 0 = 32",
})

/** The stage's value: the extractor and the last checkpoint's values, as checkpoint-metrics returns them, and the floors. */
export type TranslationMetricsValue = CheckpointMetricsValue & { readonly floor: Readonly<Record<string, number>> }

/** Per-checkpoint FID (and L1/PSNR/SSIM on paired data) of an image-to-image training stage's translations. */
export const translationMetrics = defineStage({
  name: "translation-metrics",
  resources: { gpu: 1 },
  version: 1,
  description: "per checkpoint: FID of translations vs the target domain (named extractor); L1/PSNR/SSIM vs targets on paired data",
  params: translationMetricsParams,
  inputs: { training: upstream<RecipeTrainingResult>(), data: upstream<TranslationStageValue>(), inceptionModel: folderInput({ optional: true }) },
  outputs: [CHECKPOINT_METRICS_FILE, METRICS_FLOOR_FILE],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      const data = yield* trySync(() => readUpstreamTranslation(inputs.data), isDataError)
      const size = data.value.cropSize
      const extractor = yield* openStageExtractor({ kind: params.extractor, seed: params.randomCnnSeed, inputSize: [size, size, 3] }, inputs)
      const cropped = (ds: UInt8Dataset, count = 0): UInt8Dataset => {
        const { pixels, count: n } = centreCroppedImages(ds, count > 0 ? count : ds.shape[0]!, size)
        return { kind: "images", shape: [n, size, size, 3], data: pixels, meta: {} }
      }
      const realStats = (ds: UInt8Dataset, source: string) =>
        gatherFeatures(extractor, datasetImageBatches(ds, params.batchSize), { sourceRange: "[0,1]", source, sampleCap: 0 })
      const fakeStats = (values: Float32Array, count: number, source: string) =>
        Effect.acquireUseRelease(
          Effect.sync(() => tf.tensor4d(values, [count, size, size, 3])),
          (t) => gatherFeatures(extractor, tensorBatches(t, params.batchSize), { sourceRange: "[-1,1]", source, sampleCap: 0 }),
          (t) => Effect.sync(() => t.dispose()),
        )
      const fid = (reference: FeatureStats, stats: FeatureStats) => Effect.map(frechetDistance(reference, stats), (d) => d.value)
      const cycle = params.backward !== ""
      const directions = cycle ? ([["fid-ab", data.test.a, data.test.b, params.forward], ["fid-ba", data.test.b, data.test.a, params.backward]] as const) : ([["fid", data.test.a, data.test.b, params.forward]] as const)
      const rows: CheckpointMetricsRow[] = []
      const floor: Record<string, number> = {}
      yield* Effect.gen(function* () {
        const prepared = []
        for (const [name, from, to, network] of directions) {
          const targetDomain = params.reference === "train" ? (name === "fid-ba" ? data.train.a : data.train.b) : to
          const reference = yield* realStats(cropped(targetDomain), `${inputs.data.stage}:${params.reference}`)
          const inputsOf = cropped(from, params.samples)
          const targets = cropped(to, params.samples)
          const floorValue = yield* fid(reference, yield* realStats(targets, `${inputs.data.stage}:test`))
          floor[metricKey(name, extractor)] = floorValue
          metric(metricKey(`${name}-floor`, extractor), floorValue)
          prepared.push({ name, network, reference, inputs: inputsOf, targets })
        }
        const snapshots = translationSnapshots(inputs.training)
        // the metrics follow the checkpoints; the final export counts when no checkpoint was taken at its step
        const evaluated = snapshots.filter((s, i) => s.id !== "final" || !snapshots.slice(0, i).some((c) => c.step === s.step))
        for (const [i, snapshot] of evaluated.entries()) {
          progress({ step: i, total: evaluated.length, message: snapshot.id })
          const values: Record<string, number> = {}
          for (const d of prepared) {
            const count = d.inputs.shape[0]!
            const model = yield* Effect.promise(() => loadTranslator(snapshot.dir(d.network)))
            const outputs = yield* Effect.promise(() => translateImages(model, d.inputs.data, count, size, params.batchSize)).pipe(Effect.ensuring(Effect.sync(() => model.dispose())))
            values[metricKey(d.name, extractor)] = yield* fid(d.reference, yield* fakeStats(outputs, count, snapshot.id))
            if (data.paired && !cycle) Object.assign(values, yield* pairedScores(tanhToUint8(outputs), d.targets, size))
          }
          for (const [name, value] of Object.entries(values)) metric(name, value, snapshot.step)
          log(`${snapshot.id} (step ${snapshot.step}): ${Object.entries(values).map(([k, v]) => `${k}=${v.toPrecision(5)}`).join(" ")}`)
          rows.push({ checkpoint: snapshot.id, step: snapshot.step, values })
        }
      }).pipe(Effect.ensuring(Effect.sync(() => extractor.dispose())))
      writeFileSync(join(outDir, CHECKPOINT_METRICS_FILE), JSON.stringify(rows, null, 1))
      // the floor as checkpoint-metrics writes it (render-curves draws it under each FID curve)
      const floorFile: MetricsFloor = { source: `${inputs.data.stage}:test`, images: params.samples > 0 ? Math.min(params.samples, data.test.b.shape[0]!) : data.test.b.shape[0]!, values: floor }
      writeFileSync(join(outDir, METRICS_FLOOR_FILE), JSON.stringify(floorFile, null, 1))
      const value: TranslationMetricsValue = { extractor: extractor.name, checkpoints: rows.length, last: rows.at(-1)?.values ?? {}, floor }
      return value
    }),
})

/** Mean L1 (pixels in [0, 1]), PSNR and both SSIMs (uint8, data range 255) of outputs against their targets. */
const pairedScores = (outputs: Uint8Array, targets: UInt8Dataset, size: number) =>
  tryAsync(async () => {
    const n = targets.shape[0]!
    const item = size * size * 3
    let l1 = 0, psnr = 0, wang = 0, skimage = 0
    for (let i = 0; i < n; i++) {
      const out = imagePlanes(outputs.subarray(i * item, (i + 1) * item), size, size, 3)
      const target = imagePlanes(targets.data.subarray(i * item, (i + 1) * item), size, size, 3)
      l1 += meanAbsoluteError(out, target) / 255
      psnr += peakSignalNoiseRatio(target, out, 255)
      wang += structuralSimilarity(target, out, { variant: "wang2004", dataRange: 255 })
      skimage += structuralSimilarity(target, out, { variant: "skimage-default", dataRange: 255 })
    }
    return { l1: l1 / n, psnr: psnr / n, "ssim-wang2004": wang / n, "ssim-skimage": skimage / n }
  }, isMetricsError)
