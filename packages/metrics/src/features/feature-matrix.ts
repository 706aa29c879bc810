import { Effect } from "effect"
import { FeatureMatrixInvalid } from "../errors.ts"

/**
 * A set of feature vectors: `rows` samples of `cols` features, row-major (sample i is
 * data[i*cols .. (i+1)*cols)). Float32 as extractors produce them, or float64.
 */
export interface FeatureMatrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float32Array | Float64Array
}

/**
 * Wraps `data` as a rows x cols feature matrix.
 * Fails with FeatureMatrixInvalid when the length is not rows·cols or a value is NaN/±∞.
 */
export const featureMatrix = (
  data: Float32Array | Float64Array,
  rows: number,
  cols: number,
  which = "features",
): Effect.Effect<FeatureMatrix, FeatureMatrixInvalid> =>
  Effect.suspend((): Effect.Effect<FeatureMatrix, FeatureMatrixInvalid> => {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      return Effect.fail(new FeatureMatrixInvalid({ which, reason: `shape ${rows}x${cols} is not a pair of non-negative integers` }))
    }
    if (data.length !== rows * cols) {
      return Effect.fail(
        new FeatureMatrixInvalid({ which, reason: `${data.length} values do not make ${rows} rows of ${cols}` }),
      )
    }
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) {
        const row = Math.floor(i / Math.max(cols, 1))
        return Effect.fail(new FeatureMatrixInvalid({ which, reason: `value ${data[i]} at row ${row}, column ${i - row * cols}` }))
      }
    }
    return Effect.succeed({ rows, cols, data })
  })
