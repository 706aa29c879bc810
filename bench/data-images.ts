/**
 * Benchmark: decode + resize + normalise the 19,992 anime faces (../shared/datasets/anime-faces-64)
 * with @ganflow/data (libjpeg-turbo in wasm, Pillow's resize arithmetic in WebAssembly SIMD, worker threads,
 * uint8 storage, float32 [-1, 1] normalisation; the pixels are PIL's, see test/pil-compatible-resize.test.ts)
 * against PIL doing the same work in the same run (open, convert RGB, resize with the same filter, float32
 * (x - 127.5) / 127.5). Both normalise batch by batch (64 images) into a reused float32 buffer, which is
 * what training does (uint8 storage, normalised per batch); a 1 GB float copy of the whole set would
 * mostly measure page faults. Prints seconds and the ratio (PIL time / ours; > 1 means we are faster).
 *
 *   npx tsx bench/data-images.ts [--limit N] [--size S,S2] [--kernel lanczos3|cubic|linear|nearest] [--repeat R] [--workers W]
 *
 * size 64 is what the pipelines do with these (already 64x64) faces; size 32 forces a real resample.
 * Peer: Debian's /usr/bin/python3 with python3-pil and numpy, single process (PIL has no threads).
 */
import { execFileSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { normalizeUint8, readImageFolder, sharedDataPath, type ResizeKernel } from "../packages/data/src/index.ts"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback
}
const limit = Number(arg("limit", "0"))
const sizes = arg("size", "64,32").split(",").map(Number)
const kernel = arg("kernel", "lanczos3") as ResizeKernel
const repeat = Number(arg("repeat", "2"))
const workers = Number(arg("workers", "-1")) // -1: readImageFolder's default
const folder = sharedDataPath("datasets", "anime-faces-64")
const count = limit > 0 ? limit : readdirSync(folder).filter((f) => /\.(png|jpe?g)$/i.test(f)).length
const pilFilter = { lanczos3: "LANCZOS", cubic: "BICUBIC", linear: "BILINEAR", nearest: "NEAREST" }[kernel]

const PIL_SCRIPT = `
import os, sys, time
import numpy as np
from PIL import Image
folder, size, limit, filt, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".png", ".jpg", ".jpeg")))
if limit > 0: files = files[:limit]
resample = getattr(Image, filt)
best = 1e9
batch = np.empty((64, size, size, 3), np.float32)
for _ in range(repeat):
    t = time.perf_counter()
    for i, f in enumerate(files):
        im = Image.open(os.path.join(folder, f)).convert("RGB").resize((size, size), resample)
        batch[i % 64] = (np.asarray(im, dtype=np.float32) - 127.5) / 127.5
    best = min(best, time.perf_counter() - t)
print(best)
`

const ours = async (size: number): Promise<number> => {
  let best = Infinity
  for (let r = 0; r < repeat; r++) {
    const t = performance.now()
    const { dataset } = await readImageFolder(folder, { size, kernel, ...(workers >= 0 ? { workers } : {}), ...(limit > 0 ? { limit } : {}) })
    const item = size * size * 3
    if (dataset.data.length !== count * item) throw new Error(`decoded ${dataset.data.length / item} images, expected ${count}`)
    const batch = new Float32Array(64 * item)
    for (let i = 0; i < count; i += 64) normalizeUint8(dataset.data.subarray(i * item, Math.min(count, i + 64) * item), "tanh", batch)
    best = Math.min(best, (performance.now() - t) / 1000)
  }
  return best
}

const pil = (size: number): number =>
  Number(execFileSync("/usr/bin/python3", ["-c", PIL_SCRIPT, folder, String(size), String(limit), pilFilter, String(repeat)], {
    env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: "1" },
    encoding: "utf8",
  }).trim())

console.log(`decode + resize (${kernel}) + normalise ${count} images from ${join(folder)}; best of ${repeat}`)
for (const size of sizes) {
  const a = await ours(size)
  const b = pil(size)
  console.log(`size ${size}: ganflow ${a.toFixed(2)} s (${(count / a).toFixed(0)} img/s), PIL ${b.toFixed(2)} s (${(count / b).toFixed(0)} img/s), ratio ${(b / a).toFixed(2)}x`)
}
