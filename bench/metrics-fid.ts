/**
 * FID on 10,000 x 2048 float32 features per side: @ganflow/metrics (float64 moments and products on
 * @ganflow/native's threaded AVX-512/AVX2 float64 kernel when the addon is built, else wasm SIMD;
 * tr√(S1·S2) by pivoted Cholesky + symmetric eigenvalues, the tridiagonal reduction on the native
 * blocked, threaded kernel when built, else wasm SIMD) against SciPy
 * (`numpy.cov` + `scipy.linalg.sqrtm`, the pytorch-fid formula) in the same run.
 *
 *   npx tsx bench/metrics-fid.ts [rows=10000] [dim=2048] [repeats=1]
 *
 * SciPy runs with OPENBLAS_NUM_THREADS=1 and =2 (best kept); ours uses the native pool's threads. Times
 * exclude reading the feature files. Prints both FIDs, their relative difference and the ratio.
 */
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { featureMoments, frechetDistance, MersenneTwister, nativeCrossProductAvailable } from "../packages/metrics/src/index.ts"

const rows = Number(process.argv[2] ?? 10_000)
const dim = Number(process.argv[3] ?? 2048)
const repeats = Number(process.argv[4] ?? 1)

/** Correlated, non-centred features: per-dimension scale and offset plus a rank-32 shared part. */
const makeFeatures = (seed: number, shift: number): Float32Array => {
  const rng = new MersenneTwister(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(rng.nextDouble() || 1e-300)) * Math.cos(2 * Math.PI * rng.nextDouble())
  const rank = 32
  const mixing = Float64Array.from({ length: rank * dim }, () => gauss() * 0.3)
  const scale = Float64Array.from({ length: dim }, () => 0.2 + rng.nextDouble())
  const out = new Float32Array(rows * dim)
  const shared = new Float64Array(rank)
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < rank; k++) shared[k] = gauss()
    for (let c = 0; c < dim; c++) {
      let v = gauss() * scale[c]! + shift + 0.5 * Math.sin(c)
      for (let k = 0; k < rank; k += 4) v += shared[k]! * mixing[k * dim + c]!
      out[r * dim + c] = v
    }
  }
  return out
}

const dir = mkdtempSync(join(tmpdir(), "metrics-fid-bench-"))
try {
  const a = makeFeatures(1, 0)
  const b = makeFeatures(2, 0.05)
  writeFileSync(join(dir, "a.f32"), a)
  writeFileSync(join(dir, "b.f32"), b)
  const script = `
import sys, time, numpy as np, scipy, scipy.linalg as la
n, d = ${rows}, ${dim}
a = np.fromfile(sys.argv[1], dtype='<f4').reshape(n, d); b = np.fromfile(sys.argv[2], dtype='<f4').reshape(n, d)
best = None
for _ in range(${repeats}):
    t = time.perf_counter(); c = time.process_time()
    mu1, mu2 = a.mean(axis=0, dtype=np.float64), b.mean(axis=0, dtype=np.float64)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = la.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        off = np.eye(d) * 1e-6
        covmean = la.sqrtm((s1 + off).dot(s2 + off))
    diff = mu1 - mu2
    fid = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real)
    el = time.perf_counter() - t; cpu = time.process_time() - c
    best = (el, cpu) if best is None else min(best, (el, cpu))
print(best[0], repr(float(fid)), np.__version__, scipy.__version__, best[1])
`
  writeFileSync(join(dir, "fid.py"), script)
  const scipy = [1, 2].map((threads) => {
    const out = execFileSync("/usr/bin/python3", [join(dir, "fid.py"), join(dir, "a.f32"), join(dir, "b.f32")], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" },
      encoding: "utf8",
    }).trim().split(" ")
    console.log(`scipy ${out[3]} / numpy ${out[2]}, ${threads} thread(s): ${Number(out[0]).toFixed(2)} s wall, ${Number(out[4]).toFixed(2)} s CPU, FID ${out[1]}`)
    return { seconds: Number(out[0]), cpu: Number(out[4]), fid: Number(out[1]) }
  })
  const scipyBest = Math.min(...scipy.map((s) => s.seconds))

  let oursBest = Infinity
  let oursCpu = Infinity
  let fid = NaN
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const result = Effect.runSync(
      Effect.all([featureMoments({ rows, cols: dim, data: a }), featureMoments({ rows, cols: dim, data: b })]).pipe(
        Effect.flatMap(([x, y]) => frechetDistance(x, y)),
      ),
    )
    const t1 = performance.now()
    const used = process.cpuUsage(c0)
    oursCpu = Math.min(oursCpu, (used.user + used.system) / 1e6)
    fid = result.value
    oursBest = Math.min(oursBest, (t1 - t0) / 1000)
  }
  console.log(`@ganflow/metrics (${nativeCrossProductAvailable() ? "native float64 kernel, threaded" : "wasm SIMD f64x2, 1 thread"}): ${oursBest.toFixed(2)} s wall, ${oursCpu.toFixed(2)} s CPU, FID ${fid}`)
  console.log(`FID relative difference vs SciPy: ${(Math.abs(fid - scipy[0]!.fid) / Math.abs(scipy[0]!.fid)).toExponential(2)}`)
  console.log(`ratio ours / SciPy best = ${(oursBest / scipyBest).toFixed(2)} wall (target <= 1.0); CPU time vs SciPy 1 thread ${(oursCpu / scipy[0]!.cpu).toFixed(2)}; machine load ${(await import("node:os")).loadavg()[0]!.toFixed(1)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
