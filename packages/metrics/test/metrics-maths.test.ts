import { Effect, Either } from "effect"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { featureMatrix, type FeatureMatrix } from "../src/features/feature-matrix.ts"
import { accumulateCrossProduct, mirrorUpperToLower, setCrossProductKernel, type CrossProductKernel } from "../src/linalg/cross-product.ts"
import { nativeCrossProductAvailable } from "../src/linalg/cross-product-native.ts"
import { pivotedCholesky } from "../src/linalg/pivoted-cholesky.ts"
import { reduceToTridiagonal, reduceToTridiagonalWasm, symmetricEigenvalues, tridiagonalEigenvaluesQL } from "../src/linalg/symmetric-eigenvalues.ts"
import { float64Kernels } from "../src/linalg/wasm/float64-kernels.ts"
import { nativeTridiagonalAvailable, reduceToTridiagonalNative } from "../src/linalg/symmetric-tridiagonal-native.ts"
import { FeatureMomentsAccumulator, featureMoments } from "../src/maths/feature-moments.ts"
import { frechetDistance } from "../src/maths/frechet-distance.ts"
import { inceptionScore } from "../src/maths/inception-score.ts"
import { kernelInceptionDistance } from "../src/maths/kernel-inception-distance.ts"
import { modeScore } from "../src/maths/mode-score.ts"
import { precisionRecallDensityCoverage } from "../src/maths/precision-recall-density-coverage.ts"
import { MersenneTwister } from "../src/maths/mersenne-twister.ts"
import { readFloat32Raw, sharedRoot } from "./shared-data.ts"

const metrics = join(sharedRoot(), "fixtures", "metrics")
const a = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, "feat_2000_2000_64_a_f32.raw")), 2000, 64))
const b = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, "feat_2000_2000_64_b_f32.raw")), 2000, 64))
const logits = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, "logits_1000x10_f32.raw")), 1000, 10))
const rel = (x: number, y: number) => Math.abs(x - y) / Math.abs(y)

const gaussianRows = (rows: number, cols: number, seed: number, shift = 0): FeatureMatrix => {
  const rng = new MersenneTwister(seed)
  const data = new Float64Array(rows * cols)
  for (let i = 0; i < data.length; i += 2) {
    const u = rng.nextDouble() || 1e-300
    const v = rng.nextDouble()
    const r = Math.sqrt(-2 * Math.log(u))
    data[i] = r * Math.cos(2 * Math.PI * v) + shift
    if (i + 1 < data.length) data[i + 1] = r * Math.sin(2 * Math.PI * v) + shift
  }
  return { rows, cols, data }
}

const CROSS_PRODUCT_KERNELS: ReadonlyArray<CrossProductKernel> = ["native", "wasm", "plain"]

describe("float64 kernels", () => {
  it("native, SIMD and plain cross products agree on ragged shapes, full and upper", () => {
    const k = 13, m = 7, n = 9
    const x = gaussianRows(k, m, 1).data as Float64Array
    const y = gaussianRows(k, n, 2).data as Float64Array
    const naive = new Float64Array(m * n)
    for (let s = 0; s < k; s++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) naive[i * n + j] = naive[i * n + j]! + x[s * m + i]! * y[s * n + j]!
    for (const kernel of CROSS_PRODUCT_KERNELS) {
      const previous = setCrossProductKernel(kernel)
      const out = new Float64Array(m * n).fill(1)
      accumulateCrossProduct(x, y, k, m, n, out)
      for (let i = 0; i < m * n; i++) expect(out[i]).toBeCloseTo(naive[i]! + 1, 12)
      const gram = new Float64Array(m * m)
      accumulateCrossProduct(x, x, k, m, m, gram, "upper")
      mirrorUpperToLower(gram, m)
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        let s2 = 0
        for (let s = 0; s < k; s++) s2 += x[s * m + i]! * x[s * m + j]!
        expect(gram[i * m + j]).toBeCloseTo(s2, 12)
      }
      setCrossProductKernel(previous)
    }
  })

  it("the native float64 kernel is built here and matches the SIMD kernel across blocks, threads and the upper-triangle contract", () => {
    expect(nativeCrossProductAvailable()).toBe(true)
    const k = 300, m = 261, n = 397 // several KC slices, MC/NC blocks and ragged register tiles
    const x = gaussianRows(k, m, 11).data as Float64Array
    const y = gaussianRows(k, n, 12).data as Float64Array
    const run = (kernel: CrossProductKernel, part: "full" | "upper", b: Float64Array, cols: number) => {
      const previous = setCrossProductKernel(kernel)
      const out = new Float64Array(m * cols).fill(0.5)
      accumulateCrossProduct(x, b, k, m, cols, out, part)
      setCrossProductKernel(previous)
      return out
    }
    const native = run("native", "full", y, n)
    const wasm = run("wasm", "full", y, n)
    let worst = 0
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(native[i]! - wasm[i]!) / (1 + Math.abs(wasm[i]!)))
    expect(worst).toBeLessThan(1e-12)
    const upper = run("native", "upper", x, m)
    const upperWasm = run("wasm", "upper", x, m)
    let touchedBelow = 0
    let worstUpper = 0
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
      if (j < (i & ~3)) touchedBelow += upper[i * m + j] === 0.5 ? 0 : 1 // below the written part: untouched
      else worstUpper = Math.max(worstUpper, Math.abs(upper[i * m + j]! - upperWasm[i * m + j]!) / (1 + Math.abs(upperWasm[i * m + j]!)))
    }
    expect(touchedBelow).toBe(0)
    expect(worstUpper).toBeLessThan(1e-12)
  })

  it("lower-trapezoidal operand shapes skip only zero blocks", () => {
    const k = 300, m = 11, r = 280 // r > the 256-row depth block, so whole blocks are skipped
    const a = gaussianRows(k, m, 7).data as Float64Array
    const lower = gaussianRows(k, r, 8).data as Float64Array
    for (let s = 0; s < k; s++) for (let j = s + 1; j < r; j++) lower[s * r + j] = 0
    for (const kernel of CROSS_PRODUCT_KERNELS) {
      const previous = setCrossProductKernel(kernel)
      const dense = new Float64Array(m * r)
      const skipped = new Float64Array(m * r)
      accumulateCrossProduct(a, lower, k, m, r, dense)
      accumulateCrossProduct(a, lower, k, m, r, skipped, "full", "b-lower")
      expect(skipped.every((v, i) => v === dense[i])).toBe(true)
      const gram = new Float64Array(r * r)
      const gramSkipped = new Float64Array(r * r)
      accumulateCrossProduct(lower, lower, k, r, r, gram, "upper")
      accumulateCrossProduct(lower, lower, k, r, r, gramSkipped, "upper", "a-lower")
      expect(gramSkipped.every((v, i) => v === gram[i])).toBe(true)
      setCrossProductKernel(previous)
    }
  })

  it("symmetric eigenvalues keep trace and Frobenius norm, and find a known spectrum", () => {
    const n = 37
    const g = gaussianRows(n + 5, n, 3).data as Float64Array
    const s = new Float64Array(n * n)
    accumulateCrossProduct(g, g, n + 5, n, n, s, "upper")
    mirrorUpperToLower(s, n)
    const ev = symmetricEigenvalues(s, n)
    let trace = 0, frob = 0, evSum = 0, evSq = 0
    for (let i = 0; i < n; i++) trace += s[i * n + i]!
    for (const v of s) frob += v * v
    for (const v of ev) { evSum += v; evSq += v * v }
    expect(rel(evSum, trace)).toBeLessThan(1e-12)
    expect(rel(evSq, frob)).toBeLessThan(1e-12)
    // [[2,1],[1,2]] has eigenvalues 1 and 3
    expect([...symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2)].sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 14)))
  })

  it("the native blocked and the SIMD tridiagonal reductions give the plain reduction's spectrum, reading only the lower triangle", () => {
    expect(nativeTridiagonalAvailable()).toBe(true)
    const n = 300 // several 32-column panels, threaded products (>= 256 rows) and the unblocked tail
    const g = gaussianRows(n + 3, n, 21).data as Float64Array
    const s = new Float64Array(n * n)
    accumulateCrossProduct(g, g, n + 3, n, n, s, "upper")
    mirrorUpperToLower(s, n)
    for (let j = 0; j < n; j++) { s[40 * n + j] = 0; s[j * n + 40] = 0 } // a zero row/column: a skipped reflector
    const input = s.slice()
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) input[i * n + j] = Number.NaN // never read
    const before = input.slice()
    const spectrum = (reduce: (d: Float64Array, e: Float64Array) => void) => {
      const d = new Float64Array(n), e = new Float64Array(n)
      reduce(d, e)
      tridiagonalEigenvaluesQL(d, e, n)
      return [...d].sort((x, y) => x - y)
    }
    const native = spectrum((d, e) => expect(reduceToTridiagonalNative(input, n, d, e)).toBe(true))
    const kernels = float64Kernels()
    expect(kernels).not.toBeNull()
    const simd = spectrum((d, e) => reduceToTridiagonalWasm(kernels!, s, n, d, e))
    const plain = spectrum((d, e) => reduceToTridiagonal(s.slice(), n, d, e))
    expect(input.every((v, i) => Object.is(v, before[i]))).toBe(true)
    const largest = plain[n - 1]!
    let worst = 0
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(native[i]! - plain[i]!) / largest, Math.abs(simd[i]! - plain[i]!) / largest)
    expect(worst).toBeLessThan(1e-13)
    expect(native[0]).toBeCloseTo(0, 9) // the zeroed row/column's eigenvalue
  })

  it("pivoted Cholesky finds the rank of a singular covariance and reproduces it", () => {
    const n = 20
    const x = gaussianRows(6, n, 4).data as Float64Array // 6 samples: rank 6
    const s = new Float64Array(n * n)
    accumulateCrossProduct(x, x, 6, n, n, s, "upper")
    mirrorUpperToLower(s, n)
    const { factor, rank } = pivotedCholesky(s, n)
    expect(rank).toBe(6)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let v = 0
      for (let r = 0; r < rank; r++) v += factor[i * rank + r]! * factor[j * rank + r]!
      expect(v).toBeCloseTo(s[i * n + j]!, 10)
    }
  })
})

describe("moments and FID", () => {
  it("streamed batches give numpy.cov's moments", () => {
    const whole = Effect.runSync(featureMoments(a))
    const acc = new FeatureMomentsAccumulator(64, 300)
    for (let r = 0; r < 2000; ) {
      const take = Math.min(1 + ((r * 7919) % 257), 2000 - r)
      Effect.runSync(acc.add({ rows: take, cols: 64, data: a.data.subarray(r * 64, (r + take) * 64) }))
      r += take
    }
    const streamed = Effect.runSync(acc.moments())
    expect(streamed.count).toBe(2000)
    for (let i = 0; i < 64; i++) expect(rel(streamed.mean[i]!, whole.mean[i]!)).toBeLessThan(1e-12)
    for (let i = 0; i < 64 * 64; i++) expect(Math.abs(streamed.covariance[i]! - whole.covariance[i]!)).toBeLessThan(1e-12 * Math.abs(whole.covariance[0]!))
  })

  it("FID of a set with itself is ~0; a shifted copy gives ‖shift‖²", () => {
    const m = Effect.runSync(featureMoments(a))
    expect(Math.abs(Effect.runSync(frechetDistance(m, m)).value)).toBeLessThan(1e-9)
    const shifted = { ...m, mean: m.mean.map((v) => v + 0.5) }
    expect(rel(Effect.runSync(frechetDistance(m, shifted)).value, 64 * 0.25)).toBeLessThan(1e-9)
  })

  it("singular covariances (fewer samples than features) give a finite FID", () => {
    const few = gaussianRows(30, 64, 5)
    const others = gaussianRows(40, 64, 6, 0.1)
    const fid = Effect.runSync(
      Effect.all([featureMoments(few), featureMoments(others)]).pipe(Effect.flatMap(([x, y]) => frechetDistance(x, y))),
    )
    expect(Number.isFinite(fid.value)).toBe(true)
    expect(fid.value).toBeGreaterThan(0)
    // Known answer for rank-deficient moments: scaling one side by c² scales tr√(S1S2) by c.
    const m = Effect.runSync(featureMoments(few))
    const scaled = { ...m, covariance: m.covariance.map((v) => v * 4) }
    const r = Effect.runSync(frechetDistance(m, scaled))
    expect(rel(r.traceSqrtProduct, 2 * r.traceFirst)).toBeLessThan(1e-9)
  })

  it("mismatched feature sizes and empty inputs are typed errors naming the sizes", () => {
    const m64 = Effect.runSync(featureMoments(a))
    const m10 = Effect.runSync(featureMoments(logits))
    const mismatch = Effect.runSync(Effect.either(frechetDistance(m64, m10)))
    expect(Either.isLeft(mismatch) && mismatch.left._tag).toBe("FeatureSizeMismatch")
    expect(Either.isLeft(mismatch) && mismatch.left.message).toMatch(/64.*10/)
    const empty = Effect.runSync(Effect.either(featureMoments({ rows: 0, cols: 64, data: new Float32Array(0) })))
    expect(Either.isLeft(empty) && empty.left._tag).toBe("TooFewSamples")
    expect(Either.isLeft(empty) && empty.left.message).toMatch(/has 0 samples/)
    const kid = Effect.runSync(Effect.either(kernelInceptionDistance(a, logits)))
    expect(Either.isLeft(kid) && kid.left._tag).toBe("FeatureSizeMismatch")
    const kidSmall = Effect.runSync(Effect.either(kernelInceptionDistance(a, { rows: 10, cols: 64, data: a.data.subarray(0, 640) })))
    expect(Either.isLeft(kidSmall) && kidSmall.left.message).toMatch(/10 samples, needs at least 1000/)
    const bad = Effect.runSync(Effect.either(featureMatrix(new Float32Array(5), 2, 3, "fake")))
    expect(Either.isLeft(bad) && bad.left.message).toMatch(/fake.*5 values do not make 2 rows of 3/)
  })
})

describe("KID, IS, mode score, PRDC against NumPy (test/reference/metrics_reference.py)", () => {
  it("KID with torch-fidelity's seeded subset draws", () => {
    const kid = Effect.runSync(kernelInceptionDistance(a, b, { subsets: 3, subsetSize: 1000 }))
    expect(rel(kid.mean, 0.6859398044838972)).toBeLessThan(1e-9)
    expect(rel(kid.std, 0.011204042884697491)).toBeLessThan(1e-7)
  })

  it("Inception Score with 10 shuffled splits (torch-fidelity)", () => {
    const score = Effect.runSync(inceptionScore(logits, { splits: 10, shuffleSeed: 2020 }))
    expect(rel(score.mean, 3.7823510568980723)).toBeLessThan(1e-9)
    expect(rel(score.std, 0.14939179308589826)).toBeLessThan(1e-7)
  })

  it("Mode Score", () => {
    const gen = { rows: 500, cols: 10, data: logits.data.subarray(0, 5000) }
    const real = { rows: 500, cols: 10, data: logits.data.subarray(5000) }
    const ms = Effect.runSync(modeScore(gen, real))
    expect(rel(ms.value, 3.8326150610361007)).toBeLessThan(1e-9)
    expect(rel(ms.marginalKl, 0.007107504920735971)).toBeLessThan(1e-7)
  })

  it("precision, recall, density, coverage (prdc conventions) for k = 3 and 5", () => {
    const k3 = Effect.runSync(precisionRecallDensityCoverage(a, b, 3))
    expect([k3.precision, k3.recall, k3.density, k3.coverage]).toEqual([0.084, 0.1035, 0.055, 0.128].map((v) => expect.closeTo(v, 12)))
    const k5 = Effect.runSync(precisionRecallDensityCoverage(a, b, 5))
    expect([k5.precision, k5.recall, k5.density, k5.coverage]).toEqual([0.1385, 0.1565, 0.0689, 0.23].map((v) => expect.closeTo(v, 12)))
    const same = Effect.runSync(precisionRecallDensityCoverage(a, a, 3))
    expect(same.precision).toBe(1)
    expect(same.coverage).toBe(1)
  })
})
