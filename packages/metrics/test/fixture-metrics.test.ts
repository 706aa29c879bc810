import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { featureMatrix } from "../src/features/feature-matrix.ts"
import { featureMoments } from "../src/maths/feature-moments.ts"
import { frechetDistance } from "../src/maths/frechet-distance.ts"
import { inceptionScore } from "../src/maths/inception-score.ts"
import { kernelInceptionDistance } from "../src/maths/kernel-inception-distance.ts"
import { readFloat32Raw, sharedRoot } from "./shared-data.ts"

const metrics = join(sharedRoot(), "fixtures", "metrics")
const expected = JSON.parse(readFileSync(join(sharedRoot(), "fixtures", "expected.json"), "utf8"))
const relativeError = (actual: number, wanted: number) => Math.abs(actual - wanted) / Math.abs(wanted)

describe("metrics match NumPy/SciPy fixtures (FID to 1e-10 relative, the rest to 1e-6)", () => {
  const fixture = expected.fid_kid[0]
  const { n1, n2, d } = fixture
  const a = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, `feat_${n1}_${n2}_${d}_a_f32.raw`)), n1, d, "a"))
  const b = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, `feat_${n1}_${n2}_${d}_b_f32.raw`)), n2, d, "b"))

  it("FID (numpy.cov + scipy.linalg.sqrtm)", () => {
    const fid = Effect.runSync(Effect.all([featureMoments(a), featureMoments(b)]).pipe(Effect.flatMap(([ma, mb]) => frechetDistance(ma, mb))))
    expect(relativeError(fid.value, fixture.fid)).toBeLessThan(1e-10)
    expect(fid.diagonalOffset).toBe(0)
  })

  it("FID at 320 features, past the unblocked size of the tridiagonal reduction (test/reference/fid_reference.py)", () => {
    // Exact float32 column blocks of the fixture under row permutations, as the script builds them.
    const rows = 2000
    const reversed = (i: number) => rows - 1 - i
    const step = (i: number) => (i * 7) % rows
    const assemble = (blocks: ReadonlyArray<readonly [Float32Array, (i: number) => number]>) => {
      const cols = 64 * blocks.length
      const out = new Float32Array(rows * cols)
      for (let i = 0; i < rows; i++) {
        blocks.forEach(([source, row], block) => out.set(source.subarray(row(i) * 64, row(i) * 64 + 64), i * cols + block * 64))
      }
      return { rows, cols, data: out }
    }
    const same = (i: number) => i
    const fa = a.data as Float32Array
    const fb = b.data as Float32Array
    const x = assemble([[fa, same], [fb, same], [fa, reversed], [fb, reversed], [fa, step]])
    const y = assemble([[fb, same], [fa, step], [fb, reversed], [fa, same], [fb, step]])
    const fid = Effect.runSync(Effect.all([featureMoments(x), featureMoments(y)]).pipe(Effect.flatMap(([mx, my]) => frechetDistance(mx, my))))
    expect(relativeError(fid.value, 469.6332211863539)).toBeLessThan(1e-10)
    expect(fid.diagonalOffset).toBe(0)
  })

  it("KID, one subset of all samples", () => {
    const kid = Effect.runSync(kernelInceptionDistance(a, b, { subsets: 1, subsetSize: n1, sampling: "first" }))
    expect(relativeError(kid.mean, fixture.kid_first_m_single_subset)).toBeLessThan(1e-6)
    expect(kid.std).toBe(0)
    // the unbiased MMD² of all samples does not depend on their order: a random draw of all 2000 agrees
    const shuffled = Effect.runSync(kernelInceptionDistance(a, b, { subsets: 1, subsetSize: n1 }))
    expect(relativeError(shuffled.mean, fixture.kid_first_m_single_subset)).toBeLessThan(1e-9)
  })

  it("Inception Score with one split", () => {
    const logits = Effect.runSync(featureMatrix(readFloat32Raw(join(metrics, "logits_1000x10_f32.raw")), 1000, 10, "logits"))
    const score = Effect.runSync(inceptionScore(logits, { splits: 1 }))
    const [mean, std] = expected.inception_score_splits1
    expect(relativeError(score.mean, mean)).toBeLessThan(1e-6)
    expect(score.std).toBe(std)
  })
})
