import { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDataInvalid } from "./errors.ts"

/**
 * Data to train on: named fields with a shared leading dimension N (`images` `[N, ...imageShape]` in G's output
 * range, `labels` `[N]` class ids, `embeddings`, `targets`, …). The caller owns the tensors.
 */
export type TrainingData = Readonly<Record<string, tf.Tensor>>

/** Images to train a classic GAN on (and labels for conditional models): the fields of `recipes/adversarial.ts`. */
export interface TrainingSet {
  readonly images: tf.Tensor
  readonly labels?: tf.Tensor
}

/** Where a batch stream stands: epoch number and position inside that epoch's shuffled order. */
export interface DataCursor {
  readonly epoch: number
  readonly position: number
}

/** One batch: every field, `[B, ...]`. The receiver disposes the tensors. */
export type Batch = Readonly<Record<string, tf.Tensor>>

/**
 * Shuffled batches without replacement over fields that share their leading dimension: each epoch is a permutation
 * drawn from `(seed, epoch)` alone, so a cursor `{ epoch, position }` is all a checkpoint needs to continue the
 * identical stream. The incomplete tail of an epoch is dropped (as PyTorch's `drop_last`). Fails with
 * {@link TrainingDataInvalid} if the fields have fewer than `batchSize` items or different counts.
 */
export class ShuffledBatches {
  private order: Int32Array
  private cursorEpoch: number
  private cursorPosition: number
  private readonly count: number

  constructor(
    private readonly fields: TrainingData,
    private readonly batchSize: number,
    private readonly seed: number,
    cursor: DataCursor = { epoch: 0, position: 0 },
  ) {
    const entries = Object.entries(fields)
    if (entries.length === 0) throw new TrainingDataInvalid({ reason: "no training data fields" })
    const [firstName, first] = entries[0]!
    this.count = first.shape[0]!
    for (const [name, t] of entries.slice(1))
      if (t.shape[0] !== this.count) throw new TrainingDataInvalid({ reason: `${t.shape[0]} ${name} for ${this.count} ${firstName}` })
    if (this.count < batchSize) throw new TrainingDataInvalid({ reason: `${this.count} ${firstName}, fewer than one batch of ${batchSize}` })
    this.cursorEpoch = cursor.epoch
    this.cursorPosition = cursor.position
    this.order = this.permutation(cursor.epoch)
  }

  /** The cursor of the next batch. */
  cursor(): DataCursor {
    return { epoch: this.cursorEpoch, position: this.cursorPosition }
  }

  /** The next batch; advances the cursor. */
  next(): Batch {
    if (this.cursorPosition + this.batchSize > this.count) {
      this.cursorEpoch++
      this.cursorPosition = 0
      this.order = this.permutation(this.cursorEpoch)
    }
    const indices = this.order.slice(this.cursorPosition, this.cursorPosition + this.batchSize)
    this.cursorPosition += this.batchSize
    return tf.tidy(() => {
      const idx = tf.tensor1d(indices, "int32")
      return Object.fromEntries(Object.entries(this.fields).map(([name, t]) => [name, tf.gather(t, idx)]))
    })
  }

  private permutation(epoch: number): Int32Array {
    return new SeededRandom(this.seed * 1_000_003 + epoch).permutation(this.count)
  }
}

/** Seed offset between independent streams. */
const STREAM_SEED_STRIDE = 7919

/**
 * The batches of a training run: one shuffled stream over the paired fields, and one more per group of unpaired
 * fields (each with its own permutation and cursor; stream k is seeded `seed + 7919·k`). A batch holds every field.
 */
export class BatchStreams {
  private readonly streams: ShuffledBatches[]

  constructor(data: TrainingData, unpaired: readonly (readonly string[])[], batchSize: number, seed: number, cursors: readonly DataCursor[] = []) {
    const grouped = new Set(unpaired.flat())
    for (const name of grouped) if (!(name in data)) throw new TrainingDataInvalid({ reason: `the recipe draws ${name} unpaired, but the data has no such field` })
    const paired = Object.fromEntries(Object.entries(data).filter(([name]) => !grouped.has(name)))
    const groups = [paired, ...unpaired.map((names) => Object.fromEntries(names.map((n) => [n, data[n]!])))]
    this.streams = groups.map((fields, k) => new ShuffledBatches(fields, batchSize, seed + STREAM_SEED_STRIDE * k, cursors[k]))
  }

  /** The cursor of every stream, paired first. */
  cursors(): DataCursor[] {
    return this.streams.map((s) => s.cursor())
  }

  /** The next batch of every stream, as one record. */
  next(): Batch {
    return Object.assign({}, ...this.streams.map((s) => s.next())) as Batch
  }
}
