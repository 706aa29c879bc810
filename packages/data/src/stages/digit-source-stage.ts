/**
 * Stage `digit-source`: the labelled 28x28 grey digits the MNIST pipelines train on (and train their LeNet
 * feature classifier on). With `dir` empty (the default) it draws the built-in synthetic digits
 * (no download); with `--set data.dir=<folder>` it reads the MNIST IDX pair in that folder
 * (`<split>-images-idx3-ubyte[.gz]` + `<split>-labels-idx1-ubyte[.gz]`; `train` when present, else `t10k`).
 * The folder is an input of the stage, so its content is part of the cache key. Writes `dataset.gfds`
 * (uint8 [N, 28, 28, 1] with labels 0..9). Fails with {@link MnistFolderInvalid} when the folder holds no such pair.
 */
import { defineStage, folderInput, type FolderInput, trySync, StageEvents } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { isDataError, MnistFolderInvalid, type DataError } from "../errors.ts"
import { readMnist } from "../mnist-idx-reader.ts"
import { generateDigits } from "../synthetic-digits.ts"
import type { DatasetStageValue } from "./stage-dataset-file.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link digitSource}. */
export const digitSourceParams = type({
  "+": "reject",
  /** Folder holding MNIST IDX files (relative to the workspace root, or absolute); empty: the built-in digits. */
  dir: "string = ''",
  /** Which IDX pair of `dir`: `auto` takes `train` when present, else `t10k` (the test split). */
  split: "'auto' | 'train' | 't10k' = 'auto'",
  /** Keep the first `limit` images of the IDX files (0 = all). */
  limit: "number.integer >= 0 = 0",
  /** Built-in digits: how many (labels balanced 0..9). */
  count: "number.integer >= 10 = 4000",
  /** Built-in digits: seed (digit i depends only on seed and i); also the holdout split's seed. */
  seed: "number.integer >= 0 = 0",
  /** Fraction held out from training (e.g. as a FID reference), 0 for none. */
  holdoutFraction: "0 <= number < 1 = 0",
})

/** What {@link digitSource} returns: the dataset summary plus where it came from. */
export interface DigitSourceValue extends DatasetStageValue {
  readonly source: "mnist" | "built-in digits"
}

/** The IDX image/label files of `split` in a folder listing (gzipped or raw), or a reason why there are none. */
export const findMnistPair = (
  files: ReadonlyArray<string>,
  split: "auto" | "train" | "t10k",
): { readonly images: string; readonly labels: string } | { readonly missing: string } => {
  const find = (name: string) => files.find((f) => f === name || f === `${name}.gz`)
  const splits = split === "auto" ? (["train", "t10k"] as const) : [split]
  for (const s of splits) {
    const images = find(`${s}-images-idx3-ubyte`)
    const labels = find(`${s}-labels-idx1-ubyte`)
    if (images !== undefined && labels !== undefined) return { images, labels }
  }
  return { missing: `expected ${splits.map((s) => `${s}-images-idx3-ubyte[.gz] and ${s}-labels-idx1-ubyte[.gz]`).join(", or ")}; found ${files.length === 0 ? "no files" : files.slice(0, 8).join(", ")}` }
}

/** Reads the MNIST pair of an IDX folder (first `limit` images) as a labelled uint8 dataset. */
const readMnistFolder = (folder: FolderInput, split: "auto" | "train" | "t10k", limit: number) => {
  const pair = findMnistPair(folder.files, split)
  if ("missing" in pair) throw new MnistFolderInvalid({ folder: folder.path, reason: pair.missing })
  const set = readMnist(join(folder.path, pair.images), join(folder.path, pair.labels))
  const [total, h, w] = set.images.shape as [number, number, number]
  const n = limit > 0 ? Math.min(limit, total) : total
  return {
    file: pair.images,
    dataset: {
      kind: "images" as const,
      shape: [n, h, w, 1],
      data: set.images.data.subarray(0, n * h * w),
      labels: set.labels.subarray(0, n),
      meta: { source: "mnist", file: pair.images },
    },
  }
}

/** MNIST IDX files from a folder, or the built-in synthetic digits, as a labelled uint8 dataset. */
export const digitSource = defineStage({
  name: "digit-source",
  version: 1,
  description: "MNIST IDX folder (data.dir) or the built-in digits -> labelled uint8 dataset [N, 28, 28, 1]",
  params: digitSourceParams,
  inputs: { idx: folderInput({ optional: true }) },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }): Effect.Effect<DigitSourceValue, DataError, StageEvents> =>
    Effect.flatMap(StageEvents, ({ log, metric }) => trySync(
      () => {
        const split = { holdoutFraction: params.holdoutFraction, seed: params.seed }
        if (inputs.idx === undefined) {
          log(`built-in synthetic digits: ${params.count} images at 28x28 (set data.dir to an MNIST IDX folder to train on MNIST)`)
          const dataset = generateDigits({ count: params.count, seed: params.seed, size: 28 })
          metric("images", params.count)
          return { ...writeDatasetOutputs(outDir, dataset, split), source: "built-in digits" as const }
        }
        const { file, dataset } = readMnistFolder(inputs.idx, params.split, params.limit)
        log(`${dataset.shape[0]} MNIST digits from ${join(inputs.idx.path, file)}`)
        metric("images", dataset.shape[0]!)
        return { ...writeDatasetOutputs(outDir, dataset, split), source: "mnist" as const }
      },
      isDataError,
    )),
})
