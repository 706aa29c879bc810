/**
 * Stage `image-source`: the images a GAN pipeline trains on. With `dir` empty (the default) it generates the
 * built-in synthetic set (`synthetic.kind`: anime faces or digits), so a pipeline runs on a fresh machine with no
 * download; with `--set data.dir=<folder>` it reads that folder of PNG/JPEG images instead (resized to `size`).
 * The folder is an input of the stage, so its content is part of the cache key. Writes `dataset.gfds` (and
 * `holdout.gfds` with `holdoutFraction` > 0).
 */
import { defineStage, folderInput, StageEvents, trySync, tryAsync } from "@ganflow/core"
import { isDataError } from "../errors.ts"
import { type } from "arktype"
import { Effect } from "effect"
import { readImageFolder } from "../image-folder-reader.ts"
import { generateAnimeFaces } from "../synthetic-anime-faces.ts"
import { generateDigits } from "../synthetic-digits.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link imageSource}. */
export const imageSourceParams = type({
  "+": "reject",
  /** Folder of images (relative to the workspace root); empty: the built-in synthetic set. */
  dir: "string = ''",
  /** Square size in pixels the images are resized to (synthetic sets are drawn at it). */
  size: "number.integer >= 8 = 64",
  /** 3 = RGB, 1 = grayscale. */
  channels: "1 | 3 = 3",
  /** How a folder's images reach the square size: centre crop (PIL ImageOps.fit), stretch (Image.resize), pad with black (ImageOps.pad). */
  fit: "'cover' | 'fill' | 'contain' = 'cover'",
  /** Resampling filter of the resize: PIL's NEAREST, BILINEAR, BICUBIC, LANCZOS. */
  kernel: "'nearest' | 'linear' | 'cubic' | 'lanczos3' = 'lanczos3'",
  /** Also read the images in sub-folders of `dir` (sorted by path). */
  recursive: "boolean = false",
  /** Read at most this many files of `dir` (sorted order); 0 = all. */
  limit: "number.integer >= 0 = 0",
  onBadImage: "'fail' | 'skip' = 'fail'",
  /** Fraction held out from training (e.g. as FID reference), 0 for none. */
  holdoutFraction: "0 <= number < 1 = 0",
  seed: "number.integer >= 0 = 0",
  /** The built-in set used when `dir` is empty. */
  synthetic: type({ "+": "reject", kind: "'anime-faces' | 'digits' = 'anime-faces'", count: "number.integer >= 1 = 4000" }).default(() => ({})),
})

/** A folder of images, or the built-in synthetic set, as a uint8 dataset. */
export const imageSource = defineStage({
  name: "image-source",
  version: 1,
  description: "a folder of images (data.dir) or the built-in synthetic set -> uint8 dataset",
  params: imageSourceParams,
  inputs: { images: folderInput({ optional: true }) },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const dataset = yield* tryAsync(
        async () => {
          if (inputs.images === undefined) {
            const options = { count: params.synthetic.count, seed: params.seed, size: params.size }
            log(`built-in synthetic ${params.synthetic.kind}: ${params.synthetic.count} images at ${params.size}x${params.size} (set data.dir to train on a folder)`)
            return params.synthetic.kind === "anime-faces" ? generateAnimeFaces(options) : generateDigits(options)
          }
          const read = await readImageFolder(inputs.images.path, {
            size: params.size,
            channels: params.channels,
            fit: params.fit,
            kernel: params.kernel,
            recursive: params.recursive,
            onBadImage: params.onBadImage,
            ...(params.limit > 0 ? { limit: params.limit } : {}),
          })
          for (const s of read.skipped) log(`skipped ${s.file}: ${s.reason}`)
          metric("skipped", read.skipped.length)
          return read.dataset
        },
        isDataError,
      )
      metric("images", dataset.shape[0] ?? 0)
      return yield* trySync(
        () => writeDatasetOutputs(outDir, dataset, { holdoutFraction: params.holdoutFraction, seed: params.seed }, { source: inputs.images ? "folder" : params.synthetic.kind }),
        isDataError,
      )
    }),
})
