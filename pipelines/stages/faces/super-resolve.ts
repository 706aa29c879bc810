/**
 * What both super-resolution stages share: the held-out faces and their bicubic ×scale LR inputs and baseline, the
 * generators of a training stage (every checkpoint and the final one), and running a generator over LR images.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { denormalizeToUint8, downscaleBicubicLikePil, normalizeUint8, upscaleBicubicLikePil, type UInt8Dataset, selectDatasetItems } from "@ganflow/data"
import { readUpstreamDataset } from "@ganflow/data/stages"
import { FINAL_GENERATOR, readGeneratorSnapshots } from "@ganflow/trainers"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"

/** Held-out high-resolution faces, their LR inputs and the bicubic baseline, uint8. */
export interface SuperResolutionSet {
  readonly scale: number
  readonly highResolution: UInt8Dataset
  readonly lowResolution: UInt8Dataset
  readonly bicubic: UInt8Dataset
}

/** The first `count` held-out faces of `data` (its `holdout.gfds`; the training set when there is none), at `scale`. */
export const superResolutionSet = (data: UpstreamOutput<unknown>, scale: number, count: number): SuperResolutionSet => {
  const held = data.files.includes("holdout.gfds") ? readUpstreamDataset(data, "holdout") : readUpstreamDataset(data)
  const n = Math.min(count, held.shape[0]!)
  const highResolution = selectDatasetItems(held, Array.from({ length: n }, (_, i) => i))
  const lowResolution = downscaleBicubicLikePil(highResolution, scale)
  return { scale, highResolution, lowResolution, bicubic: upscaleBicubicLikePil(lowResolution, scale) }
}

/** The ×scale factor of a super-resolution training stage (from its generator's `gan.json`). */
export const scaleOf = (training: UpstreamOutput<RecipeTrainingResult>): number => Number(training.value.networks.generator?.scale ?? 4)

/** Every generator of a training stage, oldest checkpoint first, then the final one: `[id, step]`. */
export const generatorsOf = (training: UpstreamOutput<RecipeTrainingResult>): Array<{ readonly id: string; readonly step: number }> => {
  const snapshots = readGeneratorSnapshots(training.dir).filter((s) => s.step < training.value.step)
  return [...snapshots, { id: FINAL_GENERATOR, step: training.value.step }]
}

/** Runs an SR generator over `lr` in batches; returns uint8 images (outputs clipped to [-1, 1] and rounded as `denormalizeToUint8`). */
export const superResolve = (generator: tfl.LayersModel, lr: UInt8Dataset, batchSize = 32): UInt8Dataset => {
  const [n, h, w, c] = lr.shape as [number, number, number, number]
  const item = h * w * c
  const parts: Uint8Array[] = []
  let outShape: number[] = []
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start)
    const input = normalizeUint8(lr.data.subarray(start * item, (start + count) * item), "tanh")
    const out = tf.tidy(() => generator.predict(tf.tensor4d(input, [count, h, w, c])) as tf.Tensor4D)
    outShape = out.shape
    parts.push(Uint8Array.from(out.dataSync(), (v) => denormalizeToUint8(v, "tanh")))
    out.dispose()
  }
  const data = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let o = 0
  for (const p of parts) {
    data.set(p, o)
    o += p.length
  }
  return { kind: "images", shape: [n, ...outShape.slice(1)], data, meta: {} }
}
