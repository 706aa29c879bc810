/**
 * The training fields of a text-to-image GAN, one row per caption (the recipe trainer's batch record: every field
 * shares the leading dimension C and is drawn by one seeded shuffle):
 *
 * - `images` float32 [C, H, W, 3] in [−1, 1]: the image caption c describes (an image with k captions appears k times)
 * - `embeddings` float32 [C, D]: φ(t_c)
 * - `wrongEmbeddings` float32 [C, D]: φ of caption c's mismatched caption (`captions.json` `mismatched`): a text that
 *   does not describe `images[c]`, for GAN-CLS's "real image, wrong text" term
 * - `labels` int32 [C] (only when the dataset has classes): the class of `images[c]`
 */
import * as tf from "@tensorflow/tfjs-core"
import type { CaptionEmbeddings } from "./caption-embeddings-file.ts"
import type { CaptionTable } from "./caption-table.ts"
import { CaptionFileInvalid } from "./errors.ts"
import { normalizeUint8 } from "./pixel-normalization.ts"
import { datasetItemSize, type UInt8Dataset } from "./uint8-dataset.ts"

/** The fields above; the caller owns (and disposes) the tensors. */
export interface TextImageTrainingData {
  readonly [field: string]: tf.Tensor
  readonly images: tf.Tensor4D
  readonly embeddings: tf.Tensor2D
  readonly wrongEmbeddings: tf.Tensor2D
}

/**
 * Builds the per-caption training fields. Fails with CaptionFileInvalid (naming `where`) when the embeddings do not
 * have one row per caption.
 */
export const textImageTrainingData = (dataset: UInt8Dataset, table: CaptionTable, embeddings: CaptionEmbeddings, where: string): TextImageTrainingData => {
  const rows = table.captions.length
  if (embeddings.rows !== rows) throw new CaptionFileInvalid({ file: where, reason: `${embeddings.rows} embedding rows for ${rows} captions` })
  const item = datasetItemSize(dataset)
  const [, h, w, c] = dataset.shape as [number, number, number, number]
  const pixels = new Float32Array(rows * item)
  const wrong = new Float32Array(rows * embeddings.dim)
  for (let r = 0; r < rows; r++) {
    const image = table.image[r]!
    normalizeUint8(dataset.data.subarray(image * item, (image + 1) * item), "tanh", pixels.subarray(r * item, (r + 1) * item))
    const m = table.mismatched[r]!
    wrong.set(embeddings.values.subarray(m * embeddings.dim, (m + 1) * embeddings.dim), r * embeddings.dim)
  }
  const images = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [rows, h, w, c])
    return (c === 1 ? tf.tile(x, [1, 1, 1, 3]) : x) as tf.Tensor4D
  })
  const fields = {
    images,
    embeddings: tf.tensor2d(embeddings.values, [rows, embeddings.dim]),
    wrongEmbeddings: tf.tensor2d(wrong, [rows, embeddings.dim]),
  }
  return dataset.labels === undefined ? fields : { ...fields, labels: tf.tensor1d(Int32Array.from(table.image, (i) => dataset.labels![i]!), "int32") }
}
