/**
 * Stage `unpaired-source`: CycleGAN's unpaired domains. With `dir` empty (the default) it draws the built-in
 * colour faces (A) and sepia-ink faces of other seeds (B) ({@link generateFaceStyleDomains}); with
 * `--set data.dir=<folder>` it reads CycleGAN's layout `<dir>/trainA`, `trainB`, `testA`, `testB`.
 * Images are stored at the jitter's load size (286 for a 256 crop, scaled). Writes train-a/train-b/test-a/test-b `.gfds`.
 */
import { defineStage, folderInput, StageEvents, tryAsync, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { isDataError } from "../errors.ts"
import { storedSize } from "../translation-pairs.ts"
import { generateFaceStyleDomains } from "../unpaired-face-styles.ts"
import { readUnalignedFolders } from "../unpaired-image-folders.ts"
import { TRANSLATION_FILES, writeTranslationOutputs } from "./translation-dataset-files.ts"

/** Params of {@link unpairedSource}. */
export const unpairedSourceParams = type({
  "+": "reject",
  /** Folder in CycleGAN's layout (trainA, trainB, testA, testB; relative to the workspace root); empty: the built-in domains. */
  dir: "string = ''",
  /** Square size the networks see (CycleGAN: 256; CPU default 32). */
  cropSize: "number.integer >= 8 = 32",
  /** Square size images are stored at, random-cropped to cropSize in training; 0: 286/256 x cropSize. */
  loadSize: "number.integer >= 0 = 0",
  /** Read at most this many images per folder (sorted order); 0 = all. */
  limit: "number.integer >= 0 = 0",
  seed: "number.integer >= 0 = 0",
  /** The built-in domains used when `dir` is empty (B's faces are drawn from another seed). */
  synthetic: type({ "+": "reject", trainCountA: "number.integer >= 1 = 1000", trainCountB: "number.integer >= 1 = 1000", testCount: "number.integer >= 1 = 64" }).default(() => ({})),
})

/** Unpaired domains (a CycleGAN folder, or the built-in colour / sepia-ink faces) as train/test A and B datasets. */
export const unpairedSource = defineStage({
  name: "unpaired-source",
  version: 1,
  description: "CycleGAN unpaired domains: trainA/trainB/testA/testB folders (data.dir), or built-in colour / sepia-ink faces",
  params: unpairedSourceParams,
  inputs: { images: folderInput({ optional: true }) },
  outputs: Object.values(TRANSLATION_FILES),
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const loadSize = yield* trySync(() => storedSize(params.cropSize, params.loadSize), isDataError)
      const data = yield* tryAsync(async () => {
        if (inputs.images === undefined) {
          const s = params.synthetic
          log(`built-in face domains: colour (A) ${s.trainCountA} / sepia ink (B) ${s.trainCountB} train + ${s.testCount} test each at ${loadSize}x${loadSize} (set data.dir to read trainA/trainB/testA/testB)`)
          return generateFaceStyleDomains({ ...s, seed: params.seed, size: loadSize })
        }
        return await readUnalignedFolders(inputs.images.path, { size: loadSize, ...(params.limit > 0 ? { limit: params.limit } : {}) })
      }, isDataError)
      metric("train_a", data.train.a.shape[0] ?? 0)
      metric("train_b", data.train.b.shape[0] ?? 0)
      return yield* trySync(
        () => writeTranslationOutputs(outDir, data, { loadSize, cropSize: params.cropSize }, { source: inputs.images ? "unaligned-folders" : "synthetic-face-styles" }),
        isDataError,
      )
    }),
})
