/**
 * Stage `paired-source`: pix2pix's paired data. With `dir` empty (the default) it draws the built-in
 * sketch → face pairs ({@link generateFaceSketchPairs}); with `--set data.dir=<folder>` it reads pix2pix's
 * aligned layout (`<dir>/train/*.jpg`, `<dir>/test/` or `<dir>/val/`, A|B side by side) or, with
 * `layout: folder-pairs`, `<dir>/A/<split>/name` ↔ `<dir>/B/<split>/name`. `direction: BtoA` swaps the domains.
 * Images are stored at the jitter's load size (286 for a 256 crop, scaled) so training can random-crop them.
 * Writes train-a/train-b/test-a/test-b `.gfds`.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { defineStage, folderInput, StageEvents, tryAsync, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { isDataError } from "../errors.ts"
import { generateFaceSketchPairs } from "../paired-face-sketches.ts"
import { readAlignedFolder, readFolderPairs } from "../paired-image-folders.ts"
import { assertPaired, orientTranslation, storedSize, type TranslationData } from "../translation-pairs.ts"
import { TRANSLATION_FILES, writeTranslationOutputs } from "./translation-dataset-files.ts"

/** Params of {@link pairedSource}. */
export const pairedSourceParams = type({
  "+": "reject",
  /** Folder of paired images (relative to the workspace root); empty: the built-in sketch → face pairs. */
  dir: "string = ''",
  /** `aligned`: A|B side by side per file in `<dir>/<split>/`; `folder-pairs`: `<dir>/A/<split>/x` ↔ `<dir>/B/<split>/x`. */
  layout: "'aligned' | 'folder-pairs' = 'aligned'",
  /** pix2pix's `--direction`: translate A to B, or B to A. */
  direction: "'AtoB' | 'BtoA' = 'AtoB'",
  /** Square size the networks see (pix2pix: 256; CPU default 64). */
  cropSize: "number.integer >= 16 = 64",
  /** Square size images are stored at, random-cropped to cropSize in training; 0: 286/256 x cropSize (pix2pix's jitter). */
  loadSize: "number.integer >= 0 = 0",
  /** Sub-folder of the training pairs. */
  trainSplit: "string = 'train'",
  /** Sub-folder of the test pairs (falls back to `val` when missing). */
  testSplit: "string = 'test'",
  /** Read at most this many pairs per split (sorted order); 0 = all. */
  limit: "number.integer >= 0 = 0",
  seed: "number.integer >= 0 = 0",
  /** The built-in set used when `dir` is empty. */
  synthetic: type({ "+": "reject", trainCount: "number.integer >= 1 = 1000", testCount: "number.integer >= 1 = 64" }).default(() => ({})),
})

/** Paired images (a folder in pix2pix's layouts, or the built-in sketch → face pairs) as train/test A and B datasets. */
export const pairedSource = defineStage({
  name: "paired-source",
  version: 1,
  description: "pix2pix paired data: aligned A|B images or folder pairs (data.dir), or built-in sketch -> face pairs",
  params: pairedSourceParams,
  inputs: { images: folderInput({ optional: true }) },
  outputs: Object.values(TRANSLATION_FILES),
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const loadSize = yield* trySync(() => storedSize(params.cropSize, params.loadSize), isDataError)
      const data: TranslationData = yield* tryAsync(async () => {
        if (inputs.images === undefined) {
          log(`built-in sketch -> face pairs: ${params.synthetic.trainCount} train + ${params.synthetic.testCount} test at ${loadSize}x${loadSize} (set data.dir to read pix2pix's layout)`)
          return generateFaceSketchPairs({ ...params.synthetic, seed: params.seed, size: loadSize })
        }
        const root = inputs.images.path
        const options = { size: loadSize, ...(params.limit > 0 ? { limit: params.limit } : {}) }
        const testSplit = existsSync(join(root, params.layout === "aligned" ? params.testSplit : join("A", params.testSplit))) ? params.testSplit : "val"
        const read = (split: string) =>
          params.layout === "aligned" ? readAlignedFolder(join(root, split), options) : readFolderPairs(join(root, "A", split), join(root, "B", split), options)
        const train = await read(params.trainSplit)
        const test = await read(testSplit)
        log(`${params.layout} pairs from ${root}: ${train.files.length} train (${params.trainSplit}/), ${test.files.length} test (${testSplit}/)`)
        return { train, test, paired: true }
      }, isDataError)
      const oriented = orientTranslation(data, params.direction)
      yield* trySync(() => {
        assertPaired(oriented.train, "train")
        assertPaired(oriented.test, "test")
      }, isDataError)
      metric("train_pairs", oriented.train.a.shape[0] ?? 0)
      metric("test_pairs", oriented.test.a.shape[0] ?? 0)
      return yield* trySync(
        () => writeTranslationOutputs(outDir, oriented, { loadSize, cropSize: params.cropSize }, { direction: params.direction, source: inputs.images ? params.layout : "synthetic-face-sketches" }),
        isDataError,
      )
    }),
})
