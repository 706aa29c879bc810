/**
 * How downstream stages read a text–image stage's output: the caption table (`captions.json`, written by
 * `text-image-source`) and the caption embeddings (`embeddings.gfemb`, written by `text-image-source` for HDF5 sets
 * and by `text-encoder` for the built-in faces). Fails with CaptionFileInvalid on a missing or bad file.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { CAPTION_EMBEDDINGS_FILE, readCaptionEmbeddings, type CaptionEmbeddings } from "../caption-embeddings-file.ts"
import { CAPTIONS_FILE, readCaptionTable, type CaptionTable } from "../caption-table.ts"
import { textImageTrainingData, type TextImageTrainingData } from "../text-image-training-data.ts"
import { readUpstreamDataset } from "./stage-dataset-file.ts"

/** The caption table of a `text-image-source` stage. */
export const readUpstreamCaptions = (up: UpstreamOutput<unknown>): CaptionTable => readCaptionTable(up.path(CAPTIONS_FILE))

/** The caption embeddings of a `text-image-source` (HDF5) or `text-encoder` stage: float32 [C, D]. */
export const readUpstreamCaptionEmbeddings = (up: UpstreamOutput<unknown>): CaptionEmbeddings => readCaptionEmbeddings(up.path(CAPTION_EMBEDDINGS_FILE))

/**
 * The per-caption training fields (`images`, `embeddings`, `wrongEmbeddings`, `labels` for HDF5 classes; see
 * text-image-training-data.ts) of a `text-image-source` stage `data` with the embeddings of stage `embeddings`
 * (a `text-encoder` stage, or `data` itself for HDF5 sets). The caller owns the tensors.
 */
export const readTextImageTrainingData = (data: UpstreamOutput<unknown>, embeddings: UpstreamOutput<unknown>): TextImageTrainingData =>
  textImageTrainingData(readUpstreamDataset(data), readUpstreamCaptions(data), readUpstreamCaptionEmbeddings(embeddings), embeddings.path(CAPTION_EMBEDDINGS_FILE))
