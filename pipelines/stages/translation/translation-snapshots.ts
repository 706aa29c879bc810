/**
 * What the translation render and metric stages share: the checkpoints of a recipe training stage's image-to-image
 * networks (every snapshot under `checkpoints/`, then the final export) and running a network over images in batches.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { fileSystemModelLoader, setDropoutDraw } from "@ganflow/models"
import { readGeneratorSnapshots, snapshotDir } from "@ganflow/trainers"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"

/** One state of the trained networks: a checkpoint snapshot, or the final export (`id` "final"). */
export interface TranslationSnapshot {
  readonly id: string
  /** Training steps done; the final export has the stage's last step. */
  readonly step: number
  /** Folder of network `name`'s model.json in this state. */
  readonly dir: (network: string) => string
}

/** Every snapshot of `training` oldest first, then the final networks. */
export const translationSnapshots = (training: UpstreamOutput<{ readonly step: number }>): TranslationSnapshot[] => [
  ...readGeneratorSnapshots(training.dir).map((s) => ({ id: s.id, step: s.step, dir: (network: string) => snapshotDir(training.dir, s.id, network) })),
  { id: "final", step: training.value.step, dir: (network: string) => training.path(network) },
]

/** Loads an exported image-to-image network (the caller disposes it). */
export const loadTranslator = (dir: string): Promise<tfl.LayersModel> => tfl.loadLayersModel(fileSystemModelLoader(dir))

/**
 * Runs `model` on images `[count, size, size, 3]` — uint8 (mapped to [-1, 1]) or floats already in [-1, 1] —
 * `batchSize` at a time in inference mode,
 * with pix2pix's test-time dropout at draw 0 (the same masks for every call, so one image gives one output).
 * Returns the outputs in [-1, 1], NHWC.
 */
export const translateImages = async (model: tfl.LayersModel, images: Uint8Array | Float32Array, count: number, size: number, batchSize = 16): Promise<Float32Array> => {
  const item = size * size * 3
  const out = new Float32Array(count * item)
  for (let start = 0; start < count; start += batchSize) {
    const rows = Math.min(batchSize, count - start)
    setDropoutDraw(model, 0)
    const y = tf.tidy(() => {
      const part = images.subarray(start * item, (start + rows) * item)
      const x = part instanceof Float32Array ? tf.tensor4d(part, [rows, size, size, 3]) : tf.div(tf.sub(tf.tensor4d(Float32Array.from(part), [rows, size, size, 3]), 127.5), 127.5)
      return model.predict(x) as tf.Tensor
    })
    out.set(await y.data<"float32">(), start * item)
    y.dispose()
  }
  return out
}

/** Float images in [-1, 1] as uint8 (as they are saved and shown). */
export const tanhToUint8 = (values: Float32Array): Uint8Array => {
  const out = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = (values[i]! + 1) * 127.5
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)
  }
  return out
}
