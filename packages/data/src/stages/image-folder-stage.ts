/**
 * Stage `image-folder-dataset`: a folder of PNG/JPEG images -> `dataset.gfds`
 * (uint8 [N, size, size, C]) and optionally `holdout.gfds`. Bad images fail the
 * stage naming the file, or are skipped and counted (`onBadImage: "skip"`).
 */
import { isDataError } from "../errors.ts"
import { defineStage, folderInput, StageEvents, trySync, tryAsync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { readImageFolder } from "../image-folder-reader.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link imageFolderDataset}. */
export const imageFolderParams = type({
  /** Square output size in pixels. */
  size: "number.integer >= 1 = 64",
  /** 3 = RGB, 1 = grayscale. */
  channels: "1 | 3 = 3",
  fit: "'cover' | 'fill' | 'contain' = 'cover'",
  kernel: "'nearest' | 'linear' | 'cubic' | 'lanczos3' = 'lanczos3'",
  onBadImage: "'fail' | 'skip' = 'fail'",
  /** Fraction of images held out (e.g. for FID against unseen images), 0 for none. */
  holdoutFraction: "0 <= number < 1 = 0",
  seed: "number.integer = 0",
  recursive: "boolean = false",
})

/** Decodes, resizes and stores an image folder as a uint8 dataset. */
export const imageFolderDataset = defineStage({
  name: "image-folder-dataset",
  version: 1,
  description: "PNG/JPEG folder -> uint8 dataset [N, size, size, C]",
  params: imageFolderParams,
  inputs: { images: folderInput() },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const result = yield* tryAsync(
        () => readImageFolder(inputs.images.path, {
          size: params.size, channels: params.channels, fit: params.fit, kernel: params.kernel,
          onBadImage: params.onBadImage, recursive: params.recursive,
        }),
        isDataError,
      )
      for (const s of result.skipped) log(`skipped ${s.file}: ${s.reason}`)
      metric("images", result.dataset.shape[0] ?? 0)
      metric("skipped", result.skipped.length)
      return yield* trySync(
        () => writeDatasetOutputs(outDir, result.dataset, params, { skipped: result.skipped.length }),
        isDataError,
      )
    }),
})
