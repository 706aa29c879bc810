/**
 * Axis order for drawing. Datasets and generators hold grids as [x, y, z] with y up (the binvox reader's and the
 * built-in furniture's order, a chair's back at high z); `@ganflow/viz`'s voxel renderer wants its third axis up
 * (matplotlib's `ax.voxels`). The turn (x, y, z) -> (x, D-1-z, y) is a proper rotation, so shapes are not
 * mirrored, and view 0 looks at a chair's front-left corner.
 */
import type { VoxelGrid } from "@ganflow/viz"

/**
 * The edge-`n` cube `values[offset .. offset + n^3)` (row-major [x][y up][z]) as a renderer grid [x][D-1-z][y].
 * Values are copied (Float32Array), so thresholds apply in the renderer.
 */
export const upright = (values: ArrayLike<number>, n: number, offset = 0): VoxelGrid => {
  const out = new Float32Array(n * n * n)
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      const src = offset + (x * n + y) * n
      for (let z = 0; z < n; z++) out[(x * n + (n - 1 - z)) * n + y] = values[src + z]!
    }
  }
  return { shape: [n, n, n], data: out }
}
