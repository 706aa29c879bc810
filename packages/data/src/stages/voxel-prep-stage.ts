/**
 * Stage `voxel-prep`: pad + zoom every grid of an upstream voxel dataset with
 * SciPy `ndimage.zoom` semantics (defaults: the 3D-GAN seed's pad 1 and zoom 2,
 * 30^3 -> 64^3) -> `dataset.gfds`.
 */
import { defineStage, upstream, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { VoxelShapeInvalid, isDataError } from "../errors.ts"
import { datasetItemSize, writeUInt8Dataset } from "../uint8-dataset.ts"
import { prepareVoxelsFor3dGan } from "../voxel-prep-3dgan.ts"
import { DATASET_FILE, readUpstreamDataset, type DatasetStageValue } from "./stage-dataset-file.ts"

/** Params of {@link voxelPrep}. */
export const voxelPrepParams = type({
  pad: "number.integer >= 0 = 1",
  zoom: "number > 0 = 2",
  order: "0 | 1 = 0",
})

/** Pads and zooms every voxel grid of its upstream dataset. */
export const voxelPrep = defineStage({
  name: "voxel-prep",
  version: 1,
  description: "pad + SciPy-exact zoom of each voxel grid (3D-GAN: 30^3 -> 64^3)",
  params: voxelPrepParams,
  inputs: { voxels: upstream<DatasetStageValue>() },
  outputs: ["dataset.gfds"],
  run: ({ params, inputs, outDir }) =>
    trySync(
      (): DatasetStageValue => {
        const ds = readUpstreamDataset(inputs.voxels)
        if (ds.kind !== "voxels" || ds.shape.length !== 4) {
          throw new VoxelShapeInvalid({ operation: `voxel-prep of ${inputs.voxels.stage}`, shape: ds.shape, reason: "expected a voxel dataset [N, D, H, W]" })
        }
        const [n, d, h, w] = ds.shape as [number, number, number, number]
        const item = datasetItemSize(ds)
        // the first grid gives the output shape; the rest are zoomed straight into the dataset buffer
        const first = prepareVoxelsFor3dGan({ shape: [d, h, w], data: ds.data.subarray(0, item) }, params)
        const outShape = first.shape
        const outItem = first.data.length
        const out = new Uint8Array(n * outItem)
        out.set(first.data, 0)
        for (let i = 1; i < n; i++) {
          prepareVoxelsFor3dGan({ shape: [d, h, w], data: ds.data.subarray(i * item, (i + 1) * item) }, params, out.subarray(i * outItem, (i + 1) * outItem))
        }
        const shape = [n, ...outShape]
        writeUInt8Dataset(join(outDir, DATASET_FILE), { kind: "voxels", shape, data: out, ...(ds.labels ? { labels: ds.labels } : {}), meta: { ...ds.meta, prep: params } })
        return { kind: "voxels", shape, hasLabels: ds.labels !== undefined, holdout: 0 }
      },
      isDataError,
    ),
})
