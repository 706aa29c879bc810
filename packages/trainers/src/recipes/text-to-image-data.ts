/**
 * The training data the text-to-image recipes share and how they check it: one row per caption, every field with
 * the same leading dimension C (drawn by the trainer's one seeded shuffle):
 *
 * - `images`: `[C, H, W, 3]` in [-1, 1], the image caption c describes (an image with k captions appears k times);
 * - `embeddings`: `[C, D]` φ(t) of caption c;
 * - `wrongEmbeddings`: `[C, D]` φ of a caption that does not describe image c (GAN-CLS's wrong text).
 */
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDataInvalid } from "../errors.ts"

/** Field names of the text-to-image training data. */
export const textToImageFields = ["images", "embeddings", "wrongEmbeddings"] as const

/**
 * Checks `data` has the three fields with one row count, images of `imageShape` and embeddings `embeddingDim` wide.
 * @throws TrainingDataInvalid naming the field that does not fit.
 */
export const checkTextToImageData = (data: Readonly<Record<string, tf.Tensor>>, imageShape: readonly number[], embeddingDim: number, model: string): void => {
  for (const field of textToImageFields) if (!data[field]) throw new TrainingDataInvalid({ reason: `${model} needs the field '${field}' (one row per caption)` })
  const images = data.images!
  const rows = images.shape[0]
  const shape = images.shape.slice(1)
  if (!tf.util.arraysEqual(shape, [...imageShape])) throw new TrainingDataInvalid({ reason: `images are [${shape}] but ${model} makes [${imageShape}]` })
  for (const field of ["embeddings", "wrongEmbeddings"] as const) {
    const t = data[field]!
    if (t.rank !== 2 || t.shape[1] !== embeddingDim) throw new TrainingDataInvalid({ reason: `${field} are [${t.shape.slice(1)}] wide but ${model} takes φ(t) of ${embeddingDim}` })
    if (t.shape[0] !== rows) throw new TrainingDataInvalid({ reason: `${field} has ${t.shape[0]} rows, images ${rows}: one row per caption in every field` })
  }
}
