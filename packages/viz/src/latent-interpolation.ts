/**
 * Latent interpolation strips: walk the generator's latent space from one point to another and lay the images
 * out one row per walk. Interpolation is spherical by default (slerp, White 2016, "Sampling Generative
 * Networks"): a standard-normal latent of dimension d lies near the sphere of radius sqrt(d), and a straight
 * line between two such points passes through the low-norm interior the generator never saw in training.
 */
import { Data } from "effect"
import { SeededRandom } from "@ganflow/data"
import type { ImageBatch } from "./image-batch.ts"
import { renderImageGrid, type GridOptions } from "./image-grid.ts"

/** How to move between two latents: along the great circle (`slerp`) or the straight line (`linear`). */
export type InterpolationMode = "slerp" | "linear"

/** An argument of an interpolation function is out of range; `field` names it. */
export class LatentInterpolationInvalid extends Data.TaggedError("LatentInterpolationInvalid")<{
  readonly field: string
  readonly reason: string
}> {
  override get message() {
    return `latent interpolation: ${this.field} ${this.reason}`
  }
}

/** Below this sin(angle) the endpoints are treated as (anti)parallel and slerp falls back to a straight line. */
const PARALLEL_SIN = 1e-6

const checkSteps = (steps: number) => {
  if (!Number.isInteger(steps) || steps < 2) throw new LatentInterpolationInvalid({ field: "steps", reason: `must be an integer >= 2 (was ${steps})` })
}

/**
 * `steps` latents from `a` to `b`, both ends included (element 0 is a copy of `a`, the last a copy of `b`).
 * Slerp weights are sin((1-t)Ω)/sin Ω and sin(tΩ)/sin Ω, with Ω the angle between `a` and `b`; when
 * sin Ω ≈ 0 (parallel or antiparallel vectors, or a zero vector) there is no unique great circle and the
 * straight line is used. Maths in float64, results in float32.
 * @throws LatentInterpolationInvalid when the lengths differ or are 0, or `steps` is not an integer >= 2.
 */
export const interpolateLatents = (
  a: Float32Array,
  b: Float32Array,
  steps: number,
  options: { readonly mode?: InterpolationMode } = {},
): Float32Array[] => {
  if (a.length === 0 || a.length !== b.length) {
    throw new LatentInterpolationInvalid({ field: "b", reason: `must have the length of a (a has ${a.length}, b has ${b.length}; both > 0)` })
  }
  checkSteps(steps)
  let dot = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    aa += a[i]! * a[i]!
    bb += b[i]! * b[i]!
  }
  const cos = aa > 0 && bb > 0 ? Math.min(1, Math.max(-1, dot / Math.sqrt(aa * bb))) : 1
  const omega = Math.acos(cos)
  const sinOmega = Math.sin(omega)
  const spherical = (options.mode ?? "slerp") === "slerp" && sinOmega > PARALLEL_SIN
  const out: Float32Array[] = []
  for (let s = 0; s < steps; s++) {
    if (s === 0 || s === steps - 1) {
      out.push(Float32Array.from(s === 0 ? a : b))
      continue
    }
    const t = s / (steps - 1)
    const wa = spherical ? Math.sin((1 - t) * omega) / sinOmega : 1 - t
    const wb = spherical ? Math.sin(t * omega) / sinOmega : t
    const z = new Float32Array(a.length)
    for (let i = 0; i < a.length; i++) z[i] = wa * a[i]! + wb * b[i]!
    out.push(z)
  }
  return out
}

/** What {@link interpolationLatentBatch} draws. */
export interface InterpolationBatchOptions {
  /** Length of one latent vector (the generator's latentDim). */
  readonly latentDim: number
  /** Independent walks, one per row of the strip. */
  readonly rows: number
  /** Latents per walk, both ends included (the strip's columns). */
  readonly steps: number
  /** Seed of the endpoints; the same seed gives the same batch on every machine. */
  readonly seed: number
  /** Interpolation mode (default `slerp`). */
  readonly mode?: InterpolationMode
}

/**
 * A `[rows * steps, latentDim]` latent batch (row-major) for an interpolation strip: row r holds `steps`
 * latents from endpoint a_r to b_r. Endpoints are standard normal, drawn from `SeededRandom(seed).normal()`
 * in the order a_0, b_0, a_1, b_1, … — the same distribution and generator the trainer's `sampleLatents`
 * uses, so a_0 equals the first latent of `sampleLatents(new SeededRandom(seed), 1, latentDim)`.
 * @throws LatentInterpolationInvalid when latentDim or rows is not a positive integer, or steps < 2.
 */
export const interpolationLatentBatch = (options: InterpolationBatchOptions): Float32Array => {
  const { latentDim, rows, steps } = options
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new LatentInterpolationInvalid({ field: "latentDim", reason: `must be a positive integer (was ${latentDim})` })
  if (!Number.isInteger(rows) || rows < 1) throw new LatentInterpolationInvalid({ field: "rows", reason: `must be a positive integer (was ${rows})` })
  checkSteps(steps)
  const random = new SeededRandom(options.seed)
  const draw = () => {
    const z = new Float32Array(latentDim)
    for (let i = 0; i < latentDim; i++) z[i] = random.normal()
    return z
  }
  const batch = new Float32Array(rows * steps * latentDim)
  for (let r = 0; r < rows; r++) {
    const a = draw()
    const b = draw()
    interpolateLatents(a, b, steps, { mode: options.mode ?? "slerp" }).forEach((z, s) => batch.set(z, (r * steps + s) * latentDim))
  }
  return batch
}

/**
 * Render generated images of an interpolation batch (`[rows * steps, H, W, C]`, in the order of
 * {@link interpolationLatentBatch}) as a PNG grid with `steps` columns, one walk per row.
 * Rejects with LatentInterpolationInvalid when the image count is not a multiple of `steps`.
 */
export const renderInterpolationStrip = async (
  images: ImageBatch,
  options: Omit<GridOptions, "columns"> & { readonly steps: number },
): Promise<Buffer> => {
  checkSteps(options.steps)
  if (images.count === 0 || images.count % options.steps !== 0) {
    throw new LatentInterpolationInvalid({ field: "images", reason: `count ${images.count} is not a positive multiple of steps ${options.steps}` })
  }
  const { steps, ...grid } = options
  return renderImageGrid(images, { ...grid, columns: steps })
}
