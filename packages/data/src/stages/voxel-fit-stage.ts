/**
 * Stage `voxel-fit`: brings every grid of a voxel dataset to `size`^3 the way the 3D-GAN seed does —
 * `np.pad(v, (pad, pad), 'constant')` then `scipy.ndimage.zoom(v, size / (D + 2 pad), mode='constant', order=0)` —
 * with the pad and zoom worked out from the upstream's grid size (`prepareVoxelDataset`).
 * `pad: "auto"` pads 3D ShapeNets' 30^3 grids by one voxel (30 -> 32, the seed's prep) and nothing else.
 * So 30^3 .mat -> 32^3 (zoom 1) or 64^3 (zoom 2), 64^3 binvox -> 32^3 (zoom 0.5) or 64^3 (as is).
 * Fails with VoxelShapeInvalid on a dataset that is not cubic voxels or would not land exactly on `size`.
 */
import { defineStage, upstream, StageEvents, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { isDataError, VoxelShapeInvalid } from "../errors.ts"
import { writeUInt8Dataset } from "../uint8-dataset.ts"
import { prepareVoxelDataset } from "../voxel-prep-3dgan.ts"
import { zoomedShape } from "../voxel-zoom.ts"
import { DATASET_FILE, readUpstreamDataset, type DatasetStageValue } from "./stage-dataset-file.ts"

/** Params of {@link voxelFit}. */
export const voxelFitParams = type({
  "+": "reject",
  /** Output grid edge: 32 (CPU-sized) or 64 (the paper's). */
  size: "32 | 64 = 32",
  /** Zeros added on every side before zooming; `auto`: 1 for 30^3 grids (3D ShapeNets), else 0. */
  pad: "'auto' | number.integer >= 0 = 'auto'",
  /** Spline order of the zoom: 0 nearest (the seed's), 1 linear then rounded. */
  order: "0 | 1 = 0",
})

/** The pad and zoom that take a `edge`^3 grid to `size`^3 (see {@link voxelFitParams}). */
export const fitPlan = (edge: number, size: number, pad: "auto" | number): { readonly pad: number; readonly zoom: number } => {
  const p = pad === "auto" ? (edge === 30 ? 1 : 0) : pad
  return { pad: p, zoom: size / (edge + 2 * p) }
}

/** Pads and zooms each grid of the upstream voxel dataset to `size`^3. */
export const voxelFit = defineStage({
  name: "voxel-fit",
  version: 1,
  description: "pad + SciPy-exact zoom of each voxel grid to size^3 (the 3D-GAN seed's prep)",
  params: voxelFitParams,
  inputs: { voxels: upstream<DatasetStageValue>() },
  outputs: ["dataset.gfds"],
  run: (ctx) =>
    Effect.gen(function* () {
      const events = yield* StageEvents
      const { params, inputs } = ctx
      const shape = inputs.voxels.value.shape
      const [, d, h, w] = shape
      const operation = `voxel-fit of ${inputs.voxels.stage}`
      if (inputs.voxels.value.kind !== "voxels" || shape.length !== 4 || d !== h || h !== w) {
        return yield* Effect.fail(new VoxelShapeInvalid({ operation, shape, reason: "expected cubic voxel grids [N, D, D, D]" }))
      }
      const plan = fitPlan(d!, params.size, params.pad)
      const out = zoomedShape([d! + 2 * plan.pad, 1, 1], [plan.zoom, 1, 1])[0]
      if (out !== params.size) {
        return yield* Effect.fail(new VoxelShapeInvalid({ operation, shape, reason: `pad ${plan.pad} and zoom ${plan.zoom} give ${out}^3, not ${params.size}^3` }))
      }
      events.log(`${d}^3 -> pad ${plan.pad} -> zoom ${plan.zoom} -> ${params.size}^3`)
      return yield* trySync((): DatasetStageValue => {
        const prepared = prepareVoxelDataset(readUpstreamDataset(inputs.voxels), { pad: plan.pad, zoom: plan.zoom, order: params.order }, operation)
        writeUInt8Dataset(join(ctx.outDir, DATASET_FILE), prepared)
        return { kind: "voxels", shape: [...prepared.shape], hasLabels: prepared.labels !== undefined, holdout: 0 }
      }, isDataError)
    }),
})
