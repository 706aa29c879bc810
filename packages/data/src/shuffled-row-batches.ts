/**
 * Seeded mini-batches of row indices: each pass visits `rows` in a fresh permutation drawn from one SeededRandom,
 * `batchSize` at a time; a pass's incomplete tail is dropped (PyTorch's `drop_last`). For small training loops that
 * gather their own tensors (joint embedding, attribute classifier).
 */
import { SeededRandom } from "./seeded-random.ts"

/** Settings of a small Adam training loop over {@link ShuffledRowBatches}. */
export interface RowBatchTraining {
  readonly steps: number
  readonly batchSize: number
  readonly learningRate: number
  readonly seed: number
  /** Called after each step with its loss (for progress and curves). */
  readonly onStep?: (step: number, loss: number) => void
}

/** Batches of `rows` (batch size capped at the number of rows). */
export class ShuffledRowBatches {
  private readonly random: SeededRandom
  private readonly batchSize: number
  private order: Int32Array
  private cursor = 0

  constructor(private readonly rows: Int32Array, batchSize: number, seed: number) {
    this.random = new SeededRandom(seed)
    this.batchSize = Math.min(batchSize, rows.length)
    this.order = this.random.permutation(rows.length)
  }

  /** The next batch's rows. */
  next(): Int32Array {
    if (this.cursor + this.batchSize > this.order.length) {
      this.order = this.random.permutation(this.rows.length)
      this.cursor = 0
    }
    const batch = Int32Array.from(this.order.subarray(this.cursor, this.cursor + this.batchSize), (k) => this.rows[k]!)
    this.cursor += this.batchSize
    return batch
  }

  /** The generator the batches are drawn from (callers may draw per-batch choices from the same stream). */
  get stream(): SeededRandom {
    return this.random
  }
}
