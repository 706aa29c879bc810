/**
 * The tensor backend as an Effect service: stages that compute with tensors require `TensorBackend` (the record
 * of the backend their maths runs on, for their run record). `layerTensorBackend(options)` provides it by running
 * `initBackend` once, when the first stage that needs it runs (the CLI passes `--backend`/`--threads` here: no
 * environment variable reaches stages); `layerCurrentTensorBackend` provides the backend tfjs already runs on (a
 * test that called `tf.setBackend`).
 */
import * as tf from "@tensorflow/tfjs-core"
import { Context, Effect, Layer } from "effect"
import { backendRecord } from "./backend-record.ts"
import { reasonFrom } from "./backend-candidate.ts"
import { BackendOptionsInvalid, BackendUnavailable } from "./backend-errors.ts"
import type { BackendInfo } from "./backend-info.ts"
import type { BackendOptionsInput } from "./backend-options.ts"
import { initBackend } from "./init-backend.ts"

/** The record of a running backend: the full {@link BackendInfo} when `initBackend` chose it. */
export type BackendRecord = ReturnType<typeof backendRecord>

/** What stages get: the backend, started on first use (building the layer starts nothing). */
export interface TensorBackendApi {
  /** Start the backend (once) and return its record. */
  readonly ready: Effect.Effect<BackendRecord, BackendUnavailable | BackendOptionsInvalid>
}

/** The backend tensors are computed on. Stages write `env({ backend: yield* startedBackend })` before tensor maths. */
export class TensorBackend extends Context.Tag("@ganflow/backend/tensor-backend")<TensorBackend, TensorBackendApi>() {}

/** Start the stages' backend if it is not yet, and return its record. */
export const startedBackend: Effect.Effect<BackendRecord, BackendUnavailable | BackendOptionsInvalid, TensorBackend> = Effect.flatMap(
  TensorBackend,
  (backend) => backend.ready,
)

/** `initBackend` as an Effect, failing with the typed errors. */
export const initBackendEffect = (
  options: BackendOptionsInput = {},
): Effect.Effect<BackendInfo, BackendUnavailable | BackendOptionsInvalid> =>
  Effect.tryPromise({
    try: () => initBackend(options),
    catch: (cause) =>
      cause instanceof BackendUnavailable || cause instanceof BackendOptionsInvalid
        ? cause
        : new BackendUnavailable({ backend: String(options.backend ?? "auto"), reason: reasonFrom(cause) }),
  })

/** Backends started in this process, by their options: starting the same one twice is never useful. */
const started = new Map<string, Effect.Effect<BackendRecord, BackendUnavailable | BackendOptionsInvalid>>()

/** Provides {@link TensorBackend} as the backend chosen by `options`, started (once per process) on first use. */
export const layerTensorBackend = (options: BackendOptionsInput = {}): Layer.Layer<TensorBackend> =>
  Layer.sync(TensorBackend, () => {
    const key = JSON.stringify([options.backend ?? "auto", options.threads ?? null])
    let ready = started.get(key)
    if (ready === undefined) {
      ready = Effect.runSync(Effect.cached(Effect.map(initBackendEffect(options), () => backendRecord())))
      started.set(key, ready)
    }
    return { ready }
  })

/** Provides {@link TensorBackend} as the backend tfjs already runs on (chosen by hand, e.g. in a test). */
export const layerCurrentTensorBackend: Layer.Layer<TensorBackend> = Layer.succeed(TensorBackend, {
  ready: Effect.promise(() => tf.ready()).pipe(Effect.map(() => backendRecord())),
})
