/**
 * Stage `voxel-source`: where the 3D shapes come from — a folder of `.binvox` files (ShapeNet as the 3D-GAN
 * releases ship it) or `.mat` files (3D ShapeNets' `volumetric_data/<class>/30/train/*.mat`, variable `instance`),
 * or, with `dir` empty, the built-in synthetic furniture (no download needed). Writes
 * `dataset.gfds` (uint8 0/1 [N, D, H, W], axes x, y up, z).
 * A file that does not parse, or whose grid size differs from the first one's, fails the stage naming the file.
 */
import { defineStage, folderInput, trySync, StageEvents } from "@ganflow/core"
import { isDataError, type DataError } from "../errors.ts"
import { type } from "arktype"
import { Effect } from "effect"
import { extname } from "node:path"
import { generateFurnitureVoxels } from "../synthetic-furniture-voxels.ts"
import { readVoxelFolder } from "../voxel-folder-reader.ts"
import type { DatasetStageValue } from "./stage-dataset-file.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Params of {@link voxelSource}. */
export const voxelSourceParams = type({
  "+": "reject",
  /** Folder of shapes, relative to the workspace root or absolute; empty: the built-in furniture. */
  dir: "string = ''",
  /** Which files of `dir` to read: `auto` takes both `.binvox` and `.mat`. */
  format: "'auto' | 'binvox' | 'mat' = 'auto'",
  /** Variable read from `.mat` files. */
  variable: "string = 'instance'",
  /** Read at most this many files (sorted by path), 0 for all. */
  limit: "number.integer >= 0 = 0",
  /** Built-in furniture: number of shapes. */
  count: "number.integer >= 1 = 512",
  /** Built-in furniture: seed (shape i depends only on seed and i). */
  seed: "number.integer >= 0 = 0",
  /** Built-in furniture: grid edge in voxels. */
  size: "number.integer >= 8 = 32",
  /** Built-in furniture: which kinds to draw. */
  kinds: [type("('chair' | 'table')[] > 0"), "=", () => ["chair" as const]],
})

/** What {@link voxelSource} returns: the dataset summary plus where it came from. */
export interface VoxelSourceValue extends DatasetStageValue {
  readonly source: "folder" | "built-in furniture"
}

/** File extensions read for each `format`. */
const EXTENSIONS = { auto: [".binvox", ".mat"], binvox: [".binvox"], mat: [".mat"] } as const

/** Reads a voxel folder (binvox / mat) or generates the built-in furniture into one uint8 voxel dataset. */
export const voxelSource = defineStage({
  name: "voxel-source",
  version: 1,
  description: "binvox / .mat folder, or the built-in furniture -> uint8 voxel dataset [N, D, H, W]",
  params: voxelSourceParams,
  inputs: { shapes: folderInput({ optional: true }) },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }): Effect.Effect<VoxelSourceValue, DataError, StageEvents> =>
    Effect.flatMap(StageEvents, ({ log, metric }) =>
      trySync(() => {
        const shapes = inputs.shapes
        if (shapes === undefined) {
          const ds = generateFurnitureVoxels({ count: params.count, seed: params.seed, size: params.size, kinds: params.kinds })
          metric("shapes", params.count)
          return { ...writeDatasetOutputs(outDir, ds, { holdoutFraction: 0, seed: params.seed }), source: "built-in furniture" as const }
        }
        const wanted: ReadonlyArray<string> = EXTENSIONS[params.format]
        const files = shapes.files.filter((f) => wanted.includes(extname(f).toLowerCase()))
        const ds = readVoxelFolder(shapes.path, params.limit > 0 ? files.slice(0, params.limit) : files, params.variable)
        metric("shapes", ds.shape[0] ?? 0)
        log(`${ds.shape[0]} shapes of ${ds.shape.slice(1).join("x")} from ${shapes.path}`)
        return { ...writeDatasetOutputs(outDir, ds, { holdoutFraction: 0, seed: 0 }), source: "folder" as const }
      }, isDataError),
    ),
})
