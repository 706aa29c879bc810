/**
 * Reads a folder's `.mat` (MATLAB v5, one variable per file, `instance` in 3D ShapeNets) and `.binvox` grids into
 * one uint8 voxel dataset `[N, D, H, W]` (values as stored: occupancy 0/1). Every grid must have the same shape;
 * a file that differs or does not parse fails naming it.
 */
import { extname, join } from "node:path"
import { readBinvox } from "./binvox-reader.ts"
import { VoxelShapeInvalid } from "./errors.ts"
import { readMatVariable } from "./mat-file-reader.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Extensions {@link readVoxelFolder} reads. */
export const VOXEL_FILE_EXTENSIONS: readonly string[] = [".mat", ".binvox"]

/**
 * The grids of `files` (paths relative to `folder`, in the order given; other extensions are skipped) as one
 * dataset. `variable` is read from `.mat` files. Throws VoxelShapeInvalid (no grid files, a grid of another rank
 * or shape), MatFileInvalid or BinvoxInvalid naming the file.
 */
export const readVoxelFolder = (folder: string, files: ReadonlyArray<string>, variable: string): UInt8Dataset => {
  const grids = files.filter((f) => VOXEL_FILE_EXTENSIONS.includes(extname(f).toLowerCase()))
  if (grids.length === 0) throw new VoxelShapeInvalid({ operation: `reading voxels from ${folder}`, shape: [], reason: "no .mat or .binvox files in the folder" })
  let shape: readonly number[] | undefined
  let data: Uint8Array | undefined
  grids.forEach((rel, i) => {
    const path = join(folder, rel)
    const grid = extname(rel).toLowerCase() === ".binvox" ? readBinvox(path) : readMatVariable(path, variable)
    if (grid.shape.length !== 3) throw new VoxelShapeInvalid({ operation: `reading ${path}`, shape: grid.shape, reason: `expected a rank-3 voxel grid, got rank ${grid.shape.length}` })
    if (shape === undefined) {
      shape = grid.shape
      data = new Uint8Array(grids.length * grid.data.length)
    } else if (grid.shape.join("x") !== shape.join("x")) {
      throw new VoxelShapeInvalid({ operation: `reading ${path}`, shape: grid.shape, reason: `differs from the first grid's [${shape.join(", ")}]` })
    }
    const values = grid.data
    const n = values.length
    const out = data as Uint8Array
    for (let k = 0; k < n; k++) out[i * n + k] = Number(values[k]) > 0 ? Math.min(255, Math.round(Number(values[k]))) : 0
  })
  return { kind: "voxels", shape: [grids.length, ...(shape as number[])], data: data as Uint8Array, meta: { source: "voxel-folder", folder } }
}
