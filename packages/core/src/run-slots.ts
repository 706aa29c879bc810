/**
 * The slots stages take turns on: `jobs` (stages computing at once) and the GPU semaphore (stages that declare
 * `resources: { gpu }`, see `gpu-permits.ts`). A run makes its own; a sweep makes one set and hands it to every
 * variant's run, so `--jobs` and `--gpus` bound the whole sweep rather than each variant.
 */
import { Effect } from "effect"
import { availableParallelism } from "node:os"
import { gpuPermits } from "./gpu-permits.ts"

/** The semaphores of one run, or of every run of a sweep. */
export interface RunSlots {
  readonly jobs: Effect.Semaphore
  /** The GPU semaphore and its permits, decided once, when the first GPU stage must run. */
  readonly gpus: Effect.Effect<{ readonly semaphore: Effect.Semaphore; readonly permits: number }>
  /**
   * One lock per cache key: runs sharing the slots (a sweep's variants) that reach the same stage key compute it
   * once — the others wait here, without a job slot or a Slurm job, and find it cached.
   */
  readonly keyLock: (key: string) => Effect.Semaphore
}

/** What decides the slots: `jobs` (default: the number of CPUs), `gpus`, and whether the backend is a GPU one. */
export interface RunSlotOptions {
  readonly jobs?: number
  readonly gpus?: number
  readonly gpuBackendActive?: () => Promise<boolean>
}

/** Make the slots for `options`. */
export const makeRunSlots = (options: RunSlotOptions): Effect.Effect<RunSlots> =>
  Effect.gen(function* () {
    const jobs = Math.max(1, options.jobs ?? availableParallelism())
    const gpus = yield* Effect.cached(
      Effect.gen(function* () {
        const onGpu = options.gpus === undefined && options.gpuBackendActive !== undefined ? yield* Effect.promise(options.gpuBackendActive) : false
        const permits = gpuPermits(options.gpus, jobs, onGpu)
        return { semaphore: yield* Effect.makeSemaphore(permits), permits }
      }),
    )
    const keyLocks = new Map<string, Effect.Semaphore>()
    const keyLock = (key: string) => keyLocks.get(key) ?? keyLocks.set(key, Effect.unsafeMakeSemaphore(1)).get(key)!
    return { jobs: yield* Effect.makeSemaphore(jobs), gpus, keyLock }
  })
