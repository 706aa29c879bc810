/**
 * A trained text encoder on disk — `text-encoder/` (TF.js layers model) beside `vocabulary.json` — and encoding new
 * captions with it (e.g. captions typed for a render that are not in the training table). φ(t) is L2-normalised,
 * as in the `embeddings.gfemb` the `text-encoder` stage writes.
 */
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { fileSystemModelLoader, fileSystemModelSaver } from "@ganflow/models"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { tokenizeCaptions, type CaptionVocabulary } from "./caption-tokenizer.ts"
import { CaptionFileInvalid } from "./errors.ts"
import { encodeTokenRows } from "./text-image-joint-embedding.ts"

/** Folder of the text encoder's layers model inside a text-encoder stage's output. */
export const TEXT_ENCODER_DIR = "text-encoder"
/** The vocabulary file beside it. */
export const VOCABULARY_FILE = "vocabulary.json"

/** A text encoder and the vocabulary it reads; the holder disposes `model`. */
export interface TextEncoder {
  readonly model: tfl.LayersModel
  readonly vocabulary: CaptionVocabulary
}

/** Writes `<dir>/text-encoder/` and `<dir>/vocabulary.json`. */
export const saveTextEncoder = async (dir: string, encoder: TextEncoder): Promise<void> => {
  await encoder.model.save(fileSystemModelSaver(join(dir, TEXT_ENCODER_DIR)))
  writeFileSync(join(dir, VOCABULARY_FILE), JSON.stringify(encoder.vocabulary))
}

/** Loads what {@link saveTextEncoder} wrote; CaptionFileInvalid when the vocabulary is unreadable. The caller disposes the model. */
export const loadTextEncoder = async (dir: string): Promise<TextEncoder> => {
  const file = join(dir, VOCABULARY_FILE)
  let vocabulary: CaptionVocabulary
  try {
    vocabulary = JSON.parse(readFileSync(file, "utf8")) as CaptionVocabulary
  } catch (e) {
    throw new CaptionFileInvalid({ file, reason: `cannot read the vocabulary: ${(e as Error).message}` })
  }
  if (!Array.isArray(vocabulary.words) || !Number.isInteger(vocabulary.maxLength)) throw new CaptionFileInvalid({ file, reason: "expected { words: string[], maxLength: integer }" })
  return { model: await tfl.loadLayersModel(fileSystemModelLoader(join(dir, TEXT_ENCODER_DIR))), vocabulary }
}

/** φ(t) of `captions` (unknown words map to the unknown-word id): float32 [captions.length, D], L2-normalised. */
export const encodeCaptions = (encoder: TextEncoder, captions: readonly string[]): Float32Array => {
  const tokens = tf.tensor2d(tokenizeCaptions(encoder.vocabulary, captions), [captions.length, encoder.vocabulary.maxLength], "int32")
  try {
    return encodeTokenRows(encoder.model, tokens)
  } finally {
    tokens.dispose()
  }
}
