/**
 * Stage `text-image-source`: the captioned images a text-to-image pipeline trains on.
 *
 * - With `file` empty (the default): the built-in captioned anime faces (`synthetic.count` faces drawn at `size`,
 *   `synthetic.captionsPerFace` captions each, written from the face attributes). No embeddings: a `text-encoder`
 *   stage computes φ(t) for them.
 * - With `--set data.file=<birds.hdf5>` (bound with `inputs: { file: textImageFileFromParams }`): the HDF5 layout of
 *   aelnouby/Text-to-Image-Synthesis (CUB `birds.hdf5`, Oxford-102 `flowers.hdf5`; see hdf5-text-image-reader.ts),
 *   splits `splits`, images decoded at `size`, with the shipped char-CNN-RNN embeddings (D = `embeddingSize`).
 *
 * Output folder (what downstream stages read; helpers in `text-image-stage-files.ts`):
 * - `dataset.gfds`: images uint8 [N, size, size, 3]; labels = class ids (HDF5: index into `captions.json` `classes`;
 *   built-in faces: no labels).
 * - `captions.json`: the {@link CaptionTable}, one row per caption (C rows ≥ N): `captions[c]` describes image
 *   `image[c]`; `mismatched[c]` is a caption that does not describe it (seeded by `seed`); built-in faces add
 *   `attributes` (per image) and `stated` (per caption: the attributes it states).
 * - `embeddings.gfemb` (HDF5 only): float32 [C, D], row c = φ(captions[c]).
 *
 * The returned value is a {@link TextImageSourceValue}: `embeddingSize` is D when the source ships embeddings, null
 * when a text encoder must provide them.
 */
import { defineStage, file, fileInput, StageEvents, tryAsync, type PathBinding } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { CAPTION_EMBEDDINGS_FILE, writeCaptionEmbeddings } from "../caption-embeddings-file.ts"
import { CAPTIONS_FILE, drawMismatchedCaptions, validateCaptionTable, writeCaptionTable, type CaptionTable } from "../caption-table.ts"
import { generateCaptionedAnimeFaces } from "../captioned-anime-faces.ts"
import { isDataError, type DataError } from "../errors.ts"
import { readTextImageHdf5 } from "../hdf5-text-image-reader.ts"
import { SeededRandom } from "../seeded-random.ts"
import { generateAnimeFaces } from "../synthetic-anime-faces.ts"
import { writeUInt8Dataset } from "../uint8-dataset.ts"
import { HOLDOUT_FILE, type DatasetStageValue } from "./stage-dataset-file.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link textImageSource}. */
export const textImageSourceParams = type({
  "+": "reject",
  /** HDF5 file in the birds/flowers layout (relative to the workspace root, or absolute); empty: the built-in captioned faces. */
  file: "string = ''",
  /** HDF5: which split groups to read, in order. */
  splits: [type("('train' | 'valid' | 'test')[]"), "=", () => ["train" as const]],
  /** Square size in pixels the images are decoded to (built-in faces are drawn at it). */
  size: "number.integer >= 16 = 64",
  /** HDF5: how images reach the square (the reference implementation stretches: 'fill'). */
  fit: "'cover' | 'fill' | 'contain' = 'fill'",
  /** HDF5: resampling filter (PIL's NEAREST, BILINEAR, BICUBIC, LANCZOS). */
  kernel: "'nearest' | 'linear' | 'cubic' | 'lanczos3' = 'lanczos3'",
  /** HDF5: length D of the shipped embeddings (char-CNN-RNN: 1024). */
  embeddingSize: "number.integer >= 1 = 1024",
  /** HDF5: read at most this many examples (groups), 0 = all. */
  limit: "number.integer >= 0 = 0",
  /** Seed of the built-in faces, their captions and the mismatched-caption draw. */
  seed: "number.integer >= 0 = 0",
  /** The built-in set used when `file` is empty. */
  synthetic: type({
    "+": "reject",
    count: "number.integer >= 2 = 4000",
    captionsPerFace: "number.integer >= 1 = 2",
    /**
     * Further faces of the same seed (faces count…count+heldOut−1), written as `holdout.gfds` and never captioned
     * or trained on: the held-out real images of a metric stage's floor. 0: none.
     */
    heldOut: "number.integer >= 0 = 0",
  }).default(() => ({})),
})

/** What {@link textImageSource} returns (its value in the pipeline). */
export interface TextImageSourceValue extends DatasetStageValue {
  readonly source: "hdf5" | "built-in anime faces"
  /** Rows of `captions.json` (and of the embeddings). */
  readonly captions: number
  /** D of the shipped `embeddings.gfemb` (HDF5); null when a text encoder must provide φ(t) (built-in faces). */
  readonly embeddingSize: number | null
  /** Number of classes (0 for the built-in faces). */
  readonly classes: number
}

/** Binds the stage's `file` slot to its `file` param (`--set data.file=<birds.hdf5>`), or to nothing when it is empty. */
export const textImageFileFromParams = (params: { readonly file: string }): PathBinding<"file"> | null => (params.file === "" ? null : file(params.file))

/** The birds/flowers HDF5 file (data.file) or the built-in captioned faces -> images + captions (+ embeddings). */
export const textImageSource = defineStage({
  name: "text-image-source",
  version: 1,
  description: "birds/flowers HDF5 (data.file) or the built-in captioned anime faces -> images, captions.json (+ embeddings.gfemb)",
  params: textImageSourceParams,
  inputs: { file: fileInput({ optional: true }) },
  outputs: ["dataset.gfds", CAPTIONS_FILE],
  run: ({ params, inputs, outDir }): Effect.Effect<TextImageSourceValue, DataError, StageEvents> =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const random = new SeededRandom(params.seed ^ 0x77a0_11ed)
      return yield* tryAsync(async () => {
        const split = { holdoutFraction: 0, seed: params.seed }
        if (inputs.file === undefined) {
          const { count, captionsPerFace, heldOut } = params.synthetic
          log(`built-in captioned anime faces: ${count} faces at ${params.size}x${params.size}, ${captionsPerFace} caption(s) each (set data.file to read a birds/flowers HDF5 file)`)
          const { dataset, table } = generateCaptionedAnimeFaces({ count, seed: params.seed, size: params.size, captionsPerFace })
          const full: CaptionTable = { ...table, mismatched: drawMismatchedCaptions(table, undefined, random, join(outDir, CAPTIONS_FILE)) }
          validateCaptionTable(full, count, join(outDir, CAPTIONS_FILE))
          writeCaptionTable(join(outDir, CAPTIONS_FILE), full)
          metric("images", count)
          metric("captions", full.captions.length)
          const written = writeDatasetOutputs(outDir, dataset, split)
          if (heldOut > 0) {
            writeUInt8Dataset(join(outDir, HOLDOUT_FILE), generateAnimeFaces({ count: heldOut, first: count, seed: params.seed, size: params.size }))
            metric("held_out_images", heldOut)
          }
          return { ...written, holdout: heldOut, source: "built-in anime faces" as const, captions: full.captions.length, embeddingSize: null, classes: 0 }
        }
        const set = await readTextImageHdf5(inputs.file.path, {
          splits: params.splits,
          size: params.size,
          fit: params.fit,
          kernel: params.kernel,
          embeddingSize: params.embeddingSize,
          limit: params.limit,
        })
        const images = set.dataset.shape[0]!
        const full: CaptionTable = { ...set.table, mismatched: drawMismatchedCaptions(set.table, set.dataset.labels, random, inputs.file.path) }
        validateCaptionTable(full, images, join(outDir, CAPTIONS_FILE))
        log(`${inputs.file.path}: ${Object.entries(set.examples).map(([s, n]) => `${n} ${s} examples`).join(", ")} -> ${images} images, ${full.captions.length} captions, ${full.classes.length} classes, embeddings ${set.embeddings.dim}`)
        writeCaptionTable(join(outDir, CAPTIONS_FILE), full)
        writeCaptionEmbeddings(join(outDir, CAPTION_EMBEDDINGS_FILE), set.embeddings)
        metric("images", images)
        metric("captions", full.captions.length)
        return { ...writeDatasetOutputs(outDir, set.dataset, split), source: "hdf5" as const, captions: full.captions.length, embeddingSize: set.embeddings.dim, classes: full.classes.length }
      }, isDataError)
    }),
})
