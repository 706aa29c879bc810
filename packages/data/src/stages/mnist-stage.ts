/**
 * Stage `mnist-dataset`: MNIST IDX files (raw or .gz) -> `dataset.gfds`
 * (uint8 [N, 28, 28, 1] with labels), optionally with `holdout.gfds`.
 */
import { isDataError } from "../errors.ts"
import { defineStage, fileInput, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { readMnist } from "../mnist-idx-reader.ts"
import type { UInt8Dataset } from "../uint8-dataset.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link mnistDataset}. */
export const mnistParams = type({
  holdoutFraction: "0 <= number < 1 = 0",
  seed: "number.integer = 0",
})

/** Reads an MNIST image/label pair into a labelled uint8 dataset. */
export const mnistDataset = defineStage({
  name: "mnist-dataset",
  version: 1,
  description: "MNIST IDX images + labels -> uint8 dataset [N, 28, 28, 1] with labels",
  params: mnistParams,
  inputs: { images: fileInput(), labels: fileInput() },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }) =>
    trySync(
      () => {
        const set = readMnist(inputs.images.path, inputs.labels.path)
        const [n, h, w] = set.images.shape as [number, number, number]
        const ds: UInt8Dataset = { kind: "images", shape: [n, h, w, 1], data: set.images.data, labels: set.labels, meta: { source: "mnist" } }
        return writeDatasetOutputs(outDir, ds, params)
      },
      isDataError,
    ),
})
