/**
 * The one-row-per-caption training data of the text-to-image recipes, read from a pipeline's stages: images of a
 * `text-image-source` stage (resized to the model's size), their captions' φ(t) and their mismatched captions' φ
 * from the stage that holds `embeddings.gfemb` (the `text-encoder` stage for the built-in faces; the data stage
 * itself for a birds/flowers HDF5 file, which ships them).
 */
import type { UpstreamOutput } from "@ganflow/core"
import { CaptionFileInvalid, type CaptionEmbeddings, type CaptionTable, datasetImagesTensor } from "@ganflow/data"
import { readUpstreamCaptionEmbeddings, readUpstreamCaptions, readUpstreamDataset, type TextImageSourceValue } from "@ganflow/data/stages"
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
 * `images` (the image of every caption, `[C, size, size, 3]` in [-1, 1]), `embeddings` and `mismatchedEmbeddings`
 * (`[C, D]`), owned by the caller. Fails with CaptionFileInvalid when the files disagree.
 */
export const textToImageRows = (data: UpstreamOutput<TextImageSourceValue>, encoder: UpstreamOutput<unknown>, size: number) => {
  const { table, embeddings } = readCaptionsAndEmbeddings(data, encoder)
  const dataset = readUpstreamDataset(data)
  return {
    images: datasetImagesTensor(dataset, size, table.image),
    embeddings: embeddingRows(embeddings, Int32Array.from({ length: table.captions.length }, (_, c) => c)),
    mismatchedEmbeddings: embeddingRows(embeddings, table.mismatched),
  }
}
