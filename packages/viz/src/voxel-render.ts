/**
 * Voxel renders: a shaded isometric picture of an occupancy grid, what the 3D-GAN seeds draw with matplotlib's
 * `ax.voxels`. The grid is indexed [x][y][z] with z up (matplotlib's convention), values above `threshold` are
 * solid. Each solid voxel with an exposed face towards the viewer is drawn as up to three shaded parallelograms
 * (top, and the two visible sides), far to near. `view` turns the grid by 90° steps about the vertical axis.
 */
import sharp from "sharp"

/** A dense grid of X x Y x Z values, x slowest, z fastest. */
export interface VoxelGrid {
  readonly shape: readonly [number, number, number]
  readonly data: ArrayLike<number>
}

/** Render options. */
export interface VoxelRenderOptions {
  /** Edge length of one voxel in pixels (default: fits ~256 px). */
  readonly voxelSize?: number
  readonly threshold?: number
  /** 0..3: quarter turns about the vertical axis. */
  readonly view?: number
  /** Base colour, RGB 0..255 (default a blue grey). */
  readonly colour?: readonly [number, number, number]
  /**
   * Draw the floor (the grid's z = 0 face, light grey) and under every occupied column a darker footprint, as
   * from a light straight above: shapes that stand on the floor touch their shadow, floating ones do not.
   */
  readonly ground?: boolean
}

/** Floor and footprint greys of {@link VoxelRenderOptions.ground}. */
const FLOOR_RGB = [238, 238, 238] as const
const FOOTPRINT_RGB = [200, 200, 200] as const

/** An RGB image. */
export interface RgbImage {
  readonly width: number
  readonly height: number
  readonly rgb: Uint8Array
}

/** Render one view of a grid to RGB pixels on white. */
export const renderVoxels = (grid: VoxelGrid, options: VoxelRenderOptions = {}): RgbImage => {
  const [X, Y, Z] = grid.shape
  if (grid.data.length !== X * Y * Z) throw new RangeError(`voxel data has ${grid.data.length} values, shape ${grid.shape.join("x")} needs ${X * Y * Z}`)
  const n = Math.max(X, Y, Z)
  const s = options.voxelSize ?? Math.max(2, Math.floor(256 / (n * 1.8)))
  const t = options.threshold ?? 0.5
  const view = (((options.view ?? 0) % 4) + 4) % 4
  const base = options.colour ?? [110, 140, 190]
  // rotate (x, y) about z by quarter turns; (u, v) are the rotated horizontal coordinates
  const U = view % 2 === 0 ? X : Y
  const V = view % 2 === 0 ? Y : X
  const solid = (u: number, v: number, z: number): boolean => {
    if (u < 0 || v < 0 || z < 0 || u >= U || v >= V || z >= Z) return false
    const [x, y] = view === 0 ? [u, v] : view === 1 ? [v, U - 1 - u] : view === 2 ? [U - 1 - u, V - 1 - v] : [V - 1 - v, u]
    return grid.data[(x * Y + y) * Z + z]! > t
  }
  const cx = s * 0.866
  const cy = s * 0.5
  const width = Math.ceil((U + V) * cx) + 4
  const height = Math.ceil((U + V) * cy + Z * s) + 4
  const rgb = new Uint8Array(width * height * 3).fill(255)
  const ox = V * cx + 2
  const oy = Z * s + 2
  // screen position of the lattice point (u, v, z)
  const px = (u: number, v: number) => ox + (u - v) * cx
  const py = (u: number, v: number, z: number) => oy + (u + v) * cy - z * s
  const paint = (pts: ReadonlyArray<readonly [number, number]>, col: ReadonlyArray<number>) => {
    const ys = pts.map((p) => p[1])
    const y0 = Math.max(0, Math.floor(Math.min(...ys)))
    const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)))
    for (let y = y0; y <= y1; y++) {
      const yc = y + 0.5
      let lo = Infinity
      let hi = -Infinity
      for (let i = 0; i < pts.length; i++) {
        const [ax, ay] = pts[i]!
        const [bx, by] = pts[(i + 1) % pts.length]!
        if ((ay <= yc && by > yc) || (by <= yc && ay > yc)) {
          const x = ax + ((yc - ay) / (by - ay)) * (bx - ax)
          lo = Math.min(lo, x)
          hi = Math.max(hi, x)
        }
      }
      for (let x = Math.max(0, Math.round(lo)); x < Math.min(width, Math.round(hi)); x++) {
        const o = (y * width + x) * 3
        rgb[o] = col[0]!
        rgb[o + 1] = col[1]!
        rgb[o + 2] = col[2]!
      }
    }
  }
  const fill = (pts: ReadonlyArray<readonly [number, number]>, shade: number) => paint(pts, base.map((c) => Math.min(255, Math.round(c * shade))))
  if (options.ground === true) {
    paint([[px(0, 0), py(0, 0, 0)], [px(U, 0), py(U, 0, 0)], [px(U, V), py(U, V, 0)], [px(0, V), py(0, V, 0)]], FLOOR_RGB)
    for (let u = 0; u < U; u++) {
      for (let v = 0; v < V; v++) {
        let occupied = false
        for (let z = 0; z < Z && !occupied; z++) occupied = solid(u, v, z)
        if (occupied) paint([[px(u, v), py(u, v, 0)], [px(u + 1, v), py(u + 1, v, 0)], [px(u + 1, v + 1), py(u + 1, v + 1, 0)], [px(u, v + 1), py(u, v + 1, 0)]], FOOTPRINT_RGB)
      }
    }
  }
  // far to near: the viewer looks from +u, +v, +z
  for (let sum = 0; sum <= U + V + Z - 3; sum++) {
    for (let u = 0; u < U; u++) {
      for (let v = 0; v < V; v++) {
        const z = sum - u - v
        if (z < 0 || z >= Z || !solid(u, v, z)) continue
        if (!solid(u, v, z + 1)) {
          fill([[px(u, v), py(u, v, z + 1)], [px(u + 1, v), py(u + 1, v, z + 1)], [px(u + 1, v + 1), py(u + 1, v + 1, z + 1)], [px(u, v + 1), py(u, v + 1, z + 1)]], 1.15)
        }
        if (!solid(u + 1, v, z)) {
          fill([[px(u + 1, v), py(u + 1, v, z + 1)], [px(u + 1, v + 1), py(u + 1, v + 1, z + 1)], [px(u + 1, v + 1), py(u + 1, v + 1, z)], [px(u + 1, v), py(u + 1, v, z)]], 0.85)
        }
        if (!solid(u, v + 1, z)) {
          fill([[px(u, v + 1), py(u, v + 1, z + 1)], [px(u + 1, v + 1), py(u + 1, v + 1, z + 1)], [px(u + 1, v + 1), py(u + 1, v + 1, z)], [px(u, v + 1), py(u, v + 1, z)]], 0.6)
        }
      }
    }
  }
  return { width, height, rgb }
}

/** Render several views (or several grids) side by side as one PNG. */
export const renderVoxelSheet = async (
  grids: ReadonlyArray<VoxelGrid>,
  options: VoxelRenderOptions & { readonly views?: ReadonlyArray<number>; readonly columns?: number } = {},
): Promise<Buffer> => {
  const views = options.views ?? [options.view ?? 0]
  const images = grids.flatMap((g) => views.map((view) => renderVoxels(g, { ...options, view })))
  const cw = Math.max(...images.map((i) => i.width))
  const ch = Math.max(...images.map((i) => i.height))
  const columns = options.columns ?? views.length
  const rows = Math.ceil(images.length / columns)
  const width = cw * columns
  const height = ch * rows
  const rgb = new Uint8Array(width * height * 3).fill(255)
  images.forEach((img, k) => {
    const x0 = (k % columns) * cw
    const y0 = Math.floor(k / columns) * ch
    for (let y = 0; y < img.height; y++) rgb.set(img.rgb.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y0 + y) * width + x0) * 3)
  })
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer()
}
