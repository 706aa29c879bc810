/**
 * The one-row-per-caption training data of the text-to-image recipes, read from a pipeline's stages: images of a
 * `text-image-source` stage (resized to the model's size), their captions' φ(t) and their wrong captions' φ from the
 * stage that holds `embeddings.gfemb` (the `text-encoder` stage for the built-in faces; the data stage itself for a
 * birds/flowers HDF5 file, which ships them).
 */
import type { UpstreamOutput } from "@ganflow/core"
import { CaptionFileInvalid, type CaptionEmbeddings, type CaptionTable } from "@ganflow/data"
import { readTextImageTrainingData, readUpstreamCaptionEmbeddings, readUpstreamCaptions, type TextImageSourceValue } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"

/** The caption table, and the embeddings to condition on: the data stage's own (HDF5) or else the encoder stage's. */
export const readCaptionsAndEmbeddings = (
  data: UpstreamOutput<TextImageSourceValue>,
  encoder: UpstreamOutput<unknown>,
): { readonly table: CaptionTable; readonly embeddings: CaptionEmbeddings; readonly source: string } => {
  const table = readUpstreamCaptions(data)
  const fromData = data.value.embeddingSize !== null
  const holder = fromData ? data : encoder
  const embeddings = readUpstreamCaptionEmbeddings(holder)
  if (embeddings.rows !== table.captions.length) {
    throw new CaptionFileInvalid({ file: holder.path("embeddings.gfemb"), reason: `${embeddings.rows} embeddings for the ${table.captions.length} captions of ${data.stage}` })
  }
  return { table, embeddings, source: holder.stage }
}

/** Rows `rows` of the embeddings as a `[rows.length, D]` tensor (the caller owns it). */
export const embeddingRows = (embeddings: CaptionEmbeddings, rows: ArrayLike<number>): tf.Tensor2D => {
  const values = new Float32Array(rows.length * embeddings.dim)
  for (let k = 0; k < rows.length; k++) values.set(embeddings.values.subarray(rows[k]! * embeddings.dim, (rows[k]! + 1) * embeddings.dim), k * embeddings.dim)
  return tf.tensor2d(values, [rows.length, embeddings.dim])
}

/**
 * The training fields of `@ganflow/data`'s `readTextImageTrainingData` (`images`, `embeddings`, `wrongEmbeddings`,
 * `labels` for HDF5 classes), conditioned on the embeddings {@link readCaptionsAndEmbeddings} picks, with the images
 * resized to the model's `size` (bilinear, half-pixel centres, as the data package resizes). The caller owns them.
 * Fails with CaptionFileInvalid when the files disagree.
 */
export const textToImageRows = (data: UpstreamOutput<TextImageSourceValue>, encoder: UpstreamOutput<unknown>, size: number) => {
  const fields = readTextImageTrainingData(data, data.value.embeddingSize !== null ? data : encoder)
  const [, h, w] = fields.images.shape
  if (h === size && w === size) return fields
  const images = tf.tidy(() => tf.image.resizeBilinear(fields.images, [size, size], false, true))
  fields.images.dispose()
  return { ...fields, images }
}
