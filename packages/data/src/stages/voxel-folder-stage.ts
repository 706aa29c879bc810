/**
 * Stage `voxel-folder-dataset`: a folder of `.mat` (MATLAB v5, variable
 * `instance` by default) and/or `.binvox` files -> `dataset.gfds`
 * (uint8 [N, D, H, W], values as stored: occupancy 0/1). Every grid must have
 * the same shape; a file that differs or does not parse fails the stage naming it.
 */
import { defineStage, folderInput, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { extname, join } from "node:path"
import { readBinvox } from "../binvox-reader.ts"
import { VoxelShapeInvalid, isDataError } from "../errors.ts"
import { readMatVariable } from "../mat-file-reader.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link voxelFolderDataset}. */
export const voxelFolderParams = type({
  /** Variable to read from .mat files. */
  variable: "string = 'instance'",
  /** Read at most this many files (sorted by path), 0 for all. */
  limit: "number.integer >= 0 = 0",
  holdoutFraction: "0 <= number < 1 = 0",
  seed: "number.integer = 0",
})

/** Reads every .mat / .binvox grid of a folder into one uint8 voxel dataset. */
export const voxelFolderDataset = defineStage({
  name: "voxel-folder-dataset",
  version: 1,
  description: ".mat (v5) / .binvox folder -> uint8 voxel dataset [N, D, H, W]",
  params: voxelFolderParams,
  inputs: { voxels: folderInput() },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }) =>
    trySync(
      () => {
        let files = inputs.voxels.files.filter((f) => [".mat", ".binvox"].includes(extname(f).toLowerCase()))
        if (params.limit > 0) files = files.slice(0, params.limit)
        if (files.length === 0) throw new VoxelShapeInvalid({ operation: `voxel-folder-dataset ${inputs.voxels.path}`, shape: [], reason: "no .mat or .binvox files in the folder" })
        let shape: readonly number[] | undefined
        let data: Uint8Array | undefined
        files.forEach((rel, i) => {
          const path = join(inputs.voxels.path, rel)
          const grid = extname(rel).toLowerCase() === ".binvox" ? readBinvox(path) : readMatVariable(path, params.variable)
          if (grid.shape.length !== 3) throw new VoxelShapeInvalid({ operation: `reading ${path}`, shape: grid.shape, reason: `expected a rank-3 voxel grid, got rank ${grid.shape.length}` })
          if (shape === undefined) {
            shape = grid.shape
            data = new Uint8Array(files.length * grid.data.length)
          } else if (grid.shape.join("x") !== shape.join("x")) {
            throw new VoxelShapeInvalid({ operation: `reading ${path}`, shape: grid.shape, reason: `differs from the first grid's [${shape.join(", ")}]` })
          }
          const values = grid.data
          const n = values.length
          const out = data as Uint8Array
          for (let k = 0; k < n; k++) out[i * n + k] = Number(values[k]) > 0 ? Math.min(255, Math.round(Number(values[k]))) : 0
        })
        return writeDatasetOutputs(outDir, { kind: "voxels", shape: [files.length, ...(shape as number[])], data: data as Uint8Array, meta: { source: "voxel-folder", folder: inputs.voxels.path } }, params)
      },
      isDataError,
    ),
})
