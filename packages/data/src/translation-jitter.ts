/**
 * pix2pix's random jitter (Isola et al. 2017, §6.2): images loaded at 286x286 are randomly cropped to 256x256 and
 * mirrored left-right with probability ½ (sizes scaled for smaller crops, see `jitterLoadSize`; evaluation takes the
 * centre crop, `centreCroppedImages`). Paired images get
 * the same crop and flip per item (the reference's shared `get_params`); unpaired ones are jittered separately.
 */
import * as tf from "@tensorflow/tfjs-core"
import type { SeededRandom } from "./seeded-random.ts"

/**
 * Crops every tensor of `images` (each `[B, L, L, C]`, same B and L) to `[B, crop, crop, C]` at one random
 * offset per item, mirrored with probability ½ when `mirror`; all tensors share item i's offset and flip (call once
 * per tensor for independent jitter). Draws 3 numbers per item from `random`. Returns new tensors, owned by the
 * caller. With crop = L and mirror off it is a copy.
 */
export const randomJitter = <const T extends readonly tf.Tensor4D[]>(images: T, random: SeededRandom, crop: number, mirror = true): { -readonly [K in keyof T]: tf.Tensor4D } => {
  const [batch, load] = [images[0]!.shape[0], images[0]!.shape[1]]
  for (const t of images) {
    if (t.shape[0] !== batch || t.shape[1] !== load || t.shape[2] !== load) throw new Error(`randomJitter: images of shapes ${images.map((i) => `[${i.shape.join(", ")}]`).join(" and ")} (need one [B, L, L, C])`)
  }
  if (crop > load) throw new Error(`randomJitter: crop ${crop} is larger than the loaded ${load}`)
  const picks = Array.from({ length: batch }, () => ({ y: random.int(load - crop + 1), x: random.int(load - crop + 1), flip: random.next() < 0.5 }))
  return tf.tidy(() =>
    images.map((t) => {
      const items = picks.map(({ y, x, flip }, i) => {
        const piece = tf.slice(t, [i, y, x, 0], [1, crop, crop, t.shape[3]])
        return mirror && flip ? tf.reverse(piece, 2) : piece
      })
      return items.length === 1 ? items[0]! : tf.concat(items, 0)
    }),
  ) as { -readonly [K in keyof T]: tf.Tensor4D }
}

