/**
 * Decodes many image files on worker threads, straight into one shared
 * uint8 buffer. JPEG decoding (libjpeg-turbo in wasm) and the PIL-compatible
 * resize are synchronous work on the calling thread, so one thread caps
 * throughput; workers use every core. Used by readImageFolder for large folders.
 */
import { Worker } from "node:worker_threads"

/** What each worker decodes and how. */
export interface WorkerDecodeJob {
  readonly files: ReadonlyArray<string>
  readonly size: readonly [number, number]
  readonly channels: 1 | 3
  readonly fit: "cover" | "fill" | "contain"
  readonly kernel: "nearest" | "linear" | "cubic" | "lanczos3"
  /** Stop at the first failure (fail mode) or keep going (skip mode). */
  readonly stopOnFailure: boolean
  readonly workers: number
  /** Images in flight per worker. */
  readonly concurrencyPerWorker: number
}

/** Result: pixels of file i at [i * itemSize, (i + 1) * itemSize), and the files that failed. */
export interface WorkerDecodeResult {
  readonly data: Uint8Array
  readonly ok: Uint8Array
  readonly failures: ReadonlyArray<{ readonly index: number; readonly reason: string }>
}

// Plain JS run with `eval: true`, so it works the same under tsx, vitest and compiled code; the decoding itself
// is image-decode-to-size.js (plain JS too), shared with the main thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads")
const { readFileSync } = require("node:fs")
const { files, indices, size, channels, fit, kernel, stopOnFailure, concurrency, shared, okShared } = workerData
const itemSize = size[0] * size[1] * channels
const out = new Uint8Array(shared)
const ok = new Uint8Array(okShared)
const failures = []
let next = 0
let stop = false
const main = async () => {
  const { decodeToSize } = await import(workerData.decodeModuleUrl)
  const options = { size, channels, fit, kernel }
  const work = async () => {
    while (!stop) {
      const k = next++
      if (k >= indices.length) return
      const i = indices[k]
      try {
        out.set(await decodeToSize(readFileSync(files[i]), options), i * itemSize)
        ok[i] = 1
      } catch (e) {
        failures.push({ index: i, reason: String(e && e.message ? e.message : e).split("\\n")[0] })
        if (stopOnFailure) stop = true
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, work))
  parentPort.postMessage({ failures })
}
main()
`

/** Decodes `job.files` on `job.workers` threads; failures are reported, never thrown, per file. */
export const decodeImagesOnWorkers = async (job: WorkerDecodeJob): Promise<WorkerDecodeResult> => {
  const [h, w] = job.size
  const itemSize = h * w * job.channels
  const shared = new SharedArrayBuffer(job.files.length * itemSize)
  const okShared = new SharedArrayBuffer(job.files.length)
  const decodeModuleUrl = new URL("./image-decode-to-size.js", import.meta.url).href
  const failures: Array<{ index: number; reason: string }> = []
  const runs = Array.from({ length: job.workers }, (_, wi) => {
    const indices = Int32Array.from({ length: Math.ceil((job.files.length - wi) / job.workers) }, (_, k) => wi + k * job.workers)
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          decodeModuleUrl, files: job.files, indices, size: job.size, channels: job.channels, fit: job.fit, kernel: job.kernel,
          stopOnFailure: job.stopOnFailure, concurrency: job.concurrencyPerWorker, shared, okShared,
        },
      })
      worker.once("message", (m: { failures: Array<{ index: number; reason: string }> }) => failures.push(...m.failures))
      worker.once("error", reject)
      worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`image decode worker exited with code ${code}`))))
    })
  })
  await Promise.all(runs)
  // The pixels stay in the shared buffer (no second copy of a dataset that can be hundreds of MB).
  const data = new Uint8Array(shared)
  failures.sort((a, b) => a.index - b.index)
  return { data, ok: Uint8Array.from(new Uint8Array(okShared)), failures }
}
