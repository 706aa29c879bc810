/**
 * Stage `synthetic-dataset`: one of the built-in generated datasets ->
 * `dataset.gfds` — the embedded default of the pipelines, so they run on a
 * fresh machine without downloads. Deterministic by seed.
 */
import { isDataError } from "../errors.ts"
import { defineStage, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { generateAnimeFaces } from "../synthetic-anime-faces.ts"
import { generateDigits } from "../synthetic-digits.ts"
import { generateFurnitureVoxels } from "../synthetic-furniture-voxels.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link syntheticDataset}; `size` 0 means the kind's default (faces 64, digits 28, furniture 32). */
export const syntheticParams = type({
  kind: "'anime-faces' | 'digits' | 'furniture'",
  count: "number.integer >= 1 = 4000",
  seed: "number.integer = 0",
  size: "number.integer >= 0 = 0",
  holdoutFraction: "0 <= number < 1 = 0",
})

/** Generates a built-in dataset. */
export const syntheticDataset = defineStage({
  name: "synthetic-dataset",
  version: 1,
  description: "built-in generated anime faces / digits / voxel furniture -> uint8 dataset",
  params: syntheticParams,
  outputs: ["dataset.gfds"],
  run: ({ params, outDir }) =>
    trySync(
      () => {
        const size = params.size > 0 ? { size: params.size } : {}
        const opts = { count: params.count, seed: params.seed, ...size }
        const ds = params.kind === "anime-faces" ? generateAnimeFaces(opts) : params.kind === "digits" ? generateDigits(opts) : generateFurnitureVoxels(opts)
        return writeDatasetOutputs(outDir, ds, { holdoutFraction: params.holdoutFraction, seed: params.seed })
      },
      isDataError,
    ),
})
