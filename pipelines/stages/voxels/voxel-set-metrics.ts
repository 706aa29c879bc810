/**
 * Cheap, honest numbers about a set of generated voxel shapes next to a set of training shapes, all by
 * intersection-over-union (IoU = |A ∩ B| / |A ∪ B| of the solid voxels; 1 when both are empty):
 *
 * - `nearestIou`: for each generated shape, the IoU of the most similar training shape, averaged. High means
 *   samples look like some training shape (fidelity; 1 would be copies — memorisation shows up here too).
 * - `coverageIou`: for each training shape, the IoU of the most similar generated shape, averaged. High means
 *   the samples reach across the training set (a recall-like number; it grows with the number of samples).
 * - `pairwiseIou`: mean IoU between distinct generated shapes; near 1 is mode collapse. Compare it with the
 *   same number over the training shapes (`realPairwiseIou`).
 * - `occupancy` / `realOccupancy`: mean fraction of solid voxels.
 *
 * Shapes are packed into bit sets (32 voxels a word), so a pair costs n^3/32 AND + popcounts.
 */

/** Shapes as bit sets: `count` shapes of `words` 32-bit words each, and each shape's number of solid voxels. */
export interface PackedShapes {
  readonly count: number
  readonly words: number
  readonly bits: Uint32Array
  readonly solid: Uint32Array
  /** Voxels per shape. */
  readonly voxels: number
}

/** Packs `count` shapes of `voxels` values each (row-major, back to back) with "solid" meaning value > threshold. */
export const packShapes = (values: ArrayLike<number>, count: number, voxels: number, threshold: number): PackedShapes => {
  if (values.length < count * voxels) throw new RangeError(`packShapes: ${values.length} values, ${count} shapes of ${voxels} need ${count * voxels}`)
  const words = Math.ceil(voxels / 32)
  const bits = new Uint32Array(count * words)
  const solid = new Uint32Array(count)
  for (let s = 0; s < count; s++) {
    let n = 0
    for (let v = 0; v < voxels; v++) {
      if (values[s * voxels + v]! > threshold) {
        const k = s * words + (v >>> 5)
        bits[k] = bits[k]! | (1 << (v & 31))
        n++
      }
    }
    solid[s] = n
  }
  return { count, words, bits, solid, voxels }
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** IoU of shape `i` of `a` and shape `j` of `b` (same voxel count). */
export const shapeIou = (a: PackedShapes, i: number, b: PackedShapes, j: number): number => {
  let both = 0
  const oa = i * a.words
  const ob = j * b.words
  for (let w = 0; w < a.words; w++) both += popcount(a.bits[oa + w]! & b.bits[ob + w]!)
  const union = a.solid[i]! + b.solid[j]! - both
  return union === 0 ? 1 : both / union
}

/** The numbers of generated shapes described in this module's header (the `real…` ones come from the training set alone). */
export interface VoxelSetMetrics {
  readonly [key: string]: number
  readonly nearestIou: number
  readonly coverageIou: number
  readonly pairwiseIou: number
  readonly occupancy: number
}

/** Mean fraction of solid voxels over a set of shapes. */
export const meanOccupancy = (s: PackedShapes): number => (s.count === 0 ? 0 : s.solid.reduce((a, b) => a + b, 0) / (s.count * s.voxels))

/** Mean IoU over distinct pairs of a set (0 for fewer than two shapes). */
export const meanPairwiseIou = (s: PackedShapes): number => {
  let sum = 0
  let pairs = 0
  for (let i = 0; i < s.count; i++) for (let j = i + 1; j < s.count; j++) {
    sum += shapeIou(s, i, s, j)
    pairs++
  }
  return pairs === 0 ? 0 : sum / pairs
}

/** Compares generated shapes with training shapes (both non-empty sets, same grid). Throws RangeError otherwise. */
export const voxelSetMetrics = (generated: PackedShapes, real: PackedShapes): VoxelSetMetrics => {
  if (generated.count === 0 || real.count === 0) throw new RangeError("voxelSetMetrics: both sets need at least one shape")
  if (generated.voxels !== real.voxels) throw new RangeError(`voxelSetMetrics: generated shapes have ${generated.voxels} voxels, real ones ${real.voxels}`)
  const bestForReal = new Float64Array(real.count)
  let nearest = 0
  for (let g = 0; g < generated.count; g++) {
    let best = 0
    for (let r = 0; r < real.count; r++) {
      const iou = shapeIou(generated, g, real, r)
      if (iou > best) best = iou
      if (iou > bestForReal[r]!) bestForReal[r] = iou
    }
    nearest += best
  }
  return {
    nearestIou: nearest / generated.count,
    coverageIou: bestForReal.reduce((a, b) => a + b, 0) / real.count,
    pairwiseIou: meanPairwiseIou(generated),
    occupancy: meanOccupancy(generated),
  }
}
