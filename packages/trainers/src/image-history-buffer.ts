import type { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"

/**
 * CycleGAN's history of generated images (Shrivastava et al. 2017; pytorch-CycleGAN-and-pix2pix `ImagePool`, 50
 * per discriminator): D is updated on a mix of the newest fakes and older ones, which damps oscillation. For each
 * image of a batch: while fewer than `capacity` are stored, it is stored and returned; afterwards, with probability
 * ½ a uniformly chosen stored image is returned and replaced by it, else it is returned itself. Draws come from
 * the caller's seeded stream (the trainer's checkpointed one), so the mix is deterministic and resumes exactly.
 *
 * The buffer owns one `tf.Variable` per slot (`[H, W, C]`, zeros until filled) and its fill count; checkpoint them
 * with {@link slots} and {@link filled} / {@link restoreFilled}. Dispose with {@link dispose}.
 */
export class ImageHistoryBuffer {
  private readonly stored: tf.Variable[]
  private count = 0

  /** `imageShape` = `[H, W, C]` of one image; `capacity` 0 turns the buffer off (every query returns its input). */
  constructor(readonly imageShape: readonly [number, number, number], readonly capacity = 50) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`ImageHistoryBuffer: capacity must be an integer >= 0, got ${capacity}`)
    this.stored = Array.from({ length: capacity }, () => tf.tidy(() => tf.variable(tf.zeros([...imageShape]), false)))
  }

  /** Images stored so far (at most `capacity`). */
  get filled(): number {
    return this.count
  }

  /** The slot variables, in order (for checkpoints: restored in place). */
  get slots(): readonly tf.Variable[] {
    return this.stored
  }

  /** Sets the fill count after the slots were restored from a checkpoint. */
  restoreFilled(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.capacity) throw new Error(`ImageHistoryBuffer: fill count ${count} outside 0..${this.capacity}`)
    this.count = count
  }

  /**
   * The batch D should see for the new fakes `images` `[B, H, W, C]` (detached; not modified). Returns a new
   * tensor owned by the caller; updates the stored slots as described on the class.
   */
  query(images: tf.Tensor4D, random: SeededRandom): tf.Tensor4D {
    if (this.capacity === 0) return tf.clone(images)
    const [, h, w, c] = images.shape
    if (h !== this.imageShape[0] || w !== this.imageShape[1] || c !== this.imageShape[2]) {
      throw new Error(`ImageHistoryBuffer: images of shape [${images.shape.join(", ")}], buffer holds [${this.imageShape.join(", ")}]`)
    }
    return tf.tidy(() => {
      const out: tf.Tensor3D[] = []
      for (const image of tf.unstack(images) as tf.Tensor3D[]) {
        if (this.count < this.capacity) {
          this.stored[this.count++]!.assign(image)
          out.push(image)
        } else if (random.next() > 0.5) {
          const slot = this.stored[random.int(this.capacity)]!
          out.push(tf.clone(slot) as tf.Tensor3D)
          slot.assign(image)
        } else {
          out.push(image)
        }
      }
      return tf.stack(out) as tf.Tensor4D
    })
  }

  /** Frees the slot variables. */
  dispose(): void {
    for (const v of this.stored) v.dispose()
  }
}
