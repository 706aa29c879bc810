/**
 * Stage `voxel-source`: where the 3D shapes come from — a folder of `.binvox` files (ShapeNet as the 3D-GAN
 * releases ship it) or `.mat` files (3D ShapeNets' `volumetric_data/<class>/30/train/*.mat`, variable `instance`),
 * or, with `dir` empty, the built-in synthetic furniture of `@ganflow/data` (no download needed). Writes
 * `dataset.gfds` (uint8 0/1 [N, D, H, W], axes x, y up, z) through the data package's own stages.
 * A file that does not parse, or whose grid size differs from the first one's, fails the stage naming the file.
 */
import { defineStage, folderInput, type FolderInput, trySync, StageEvents } from "@ganflow/core"
import { generateFurnitureVoxels, isDataError, type DataError } from "@ganflow/data"
import { voxelFolderDataset, writeDatasetOutputs, type DatasetStageValue } from "@ganflow/data/stages/index"
import { type } from "arktype"
import { Effect } from "effect"
import { extname } from "node:path"

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
  run: (ctx): Effect.Effect<VoxelSourceValue, DataError, StageEvents> => {
    const { params, inputs } = ctx
    const shapes = inputs.shapes
    if (shapes === undefined) {
      return Effect.flatMap(StageEvents, (events) => trySync(
        () => {
          const ds = generateFurnitureVoxels({ count: params.count, seed: params.seed, size: params.size, kinds: params.kinds })
          events.metric("shapes", params.count)
          return { ...writeDatasetOutputs(ctx.outDir, ds, { holdoutFraction: 0, seed: params.seed }), source: "built-in furniture" as const }
        },
        isDataError,
      ))
    }
    const wanted: ReadonlyArray<string> = EXTENSIONS[params.format]
    const selected: FolderInput = { ...shapes, files: shapes.files.filter((f) => wanted.includes(extname(f).toLowerCase())) }
    return voxelFolderDataset
      .run({ ...ctx, params: { variable: params.variable, limit: params.limit, holdoutFraction: 0, seed: 0 }, inputs: { voxels: selected } })
      .pipe(
        Effect.flatMap((value) =>
          Effect.map(StageEvents, (events) => {
            events.metric("shapes", value.shape[0] ?? 0)
            events.log(`${value.shape[0]} shapes of ${value.shape.slice(1).join("x")} from ${shapes.path}`)
            return { ...value, source: "folder" as const }
          }),
        ),
      )
  },
})
