/**
 * The 3D-GAN seed's voxel preparation as one call: pad a 30^3 ShapeNets grid
 * by one voxel of zeros on every side (-> 32^3), then zoom by 2 with
 * nearest-neighbour SciPy semantics (-> 64^3). Equivalent to
 * `scipy.ndimage.zoom(np.pad(v, (1, 1), 'constant'), (2, 2, 2), mode='constant', order=0)`.
 */
import { VoxelShapeInvalid } from "./errors.ts"
import { datasetItemSize, type UInt8Dataset } from "./uint8-dataset.ts"
import { padVoxels } from "./voxel-pad.ts"
import type { VoxelGrid } from "./voxel-grid.ts"
import { zoomVoxels, type ZoomOrder } from "./voxel-zoom.ts"

/** Parameters of {@link prepareVoxelsFor3dGan}; defaults are the seed's. */
export interface VoxelPrepOptions {
  /** Zeros added on every side before zooming (default 1). */
  readonly pad?: number
  /** Zoom factor on every axis (default 2). */
  readonly zoom?: number
  /** Spline order (default 0, nearest). */
  readonly order?: ZoomOrder
}

/**
 * Pads then zooms one rank-3 uint8 grid, into `out` when given (its length must be the output size).
 * Fails with VoxelShapeInvalid on a wrong rank or a wrong `out` length.
 */
export const prepareVoxelsFor3dGan = (grid: VoxelGrid<Uint8Array>, options: VoxelPrepOptions = {}, out?: Uint8Array): VoxelGrid<Uint8Array> =>
  zoomVoxels(padVoxels(grid, options.pad ?? 1), options.zoom ?? 2, { order: options.order ?? 0, ...(out ? { out } : {}) })

/**
 * {@link prepareVoxelsFor3dGan} on every grid of a voxel dataset `[N, D, H, W]`, giving `[N, D', H', W']` with the
 * labels and meta kept (meta gains `prep`). Fails with VoxelShapeInvalid on a dataset that is not voxels.
 */
export const prepareVoxelDataset = (ds: UInt8Dataset, options: VoxelPrepOptions, operation: string): UInt8Dataset => {
  if (ds.kind !== "voxels" || ds.shape.length !== 4) throw new VoxelShapeInvalid({ operation, shape: ds.shape, reason: "expected a voxel dataset [N, D, H, W]" })
  const [n, d, h, w] = ds.shape as [number, number, number, number]
  const item = datasetItemSize(ds)
  // the first grid gives the output shape; the rest are zoomed straight into the dataset buffer
  const first = prepareVoxelsFor3dGan({ shape: [d, h, w], data: ds.data.subarray(0, item) }, options)
  const outItem = first.data.length
  const out = new Uint8Array(n * outItem)
  out.set(first.data, 0)
  for (let i = 1; i < n; i++) {
    prepareVoxelsFor3dGan({ shape: [d, h, w], data: ds.data.subarray(i * item, (i + 1) * item) }, options, out.subarray(i * outItem, (i + 1) * outItem))
  }
  return { kind: "voxels", shape: [n, ...first.shape], data: out, ...(ds.labels ? { labels: ds.labels } : {}), meta: { ...ds.meta, prep: options } }
}
