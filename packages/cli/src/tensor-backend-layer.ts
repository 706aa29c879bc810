/**
 * The tensor backend the CLI gives a run's stages. It starts once, when first needed: by the first stage that
 * asks for it (`startedBackend`), or up front when `--backend` names a GPU backend, so one that cannot start fails
 * before any stage runs. A run whose tensor stages are all cached never starts it. `--backend` and `--threads` (or
 * their environment defaults, read once by `parseArguments`) choose it.
 */
import { Effect, Layer } from "effect"
import type { BackendRecord, TensorBackend } from "@ganflow/backend"
import type { Arguments } from "./arguments.ts"

/** A backend started at most once per process, and the layer that provides it to stages. */
export interface LazyTensorBackend {
  /** Start the backend (once) and return its record. */
  readonly start: () => Promise<BackendRecord>
  /** Provides `TensorBackend`; loads `@ganflow/backend` when built, starts nothing. */
  readonly layer: Layer.Layer<TensorBackend>
}

/** The stages' backend for a command with these arguments. */
export const lazyTensorBackend = (args: Arguments): LazyTensorBackend => {
  const options = { backend: (args.backend ?? "auto") as "auto", ...(args.threads === undefined ? {} : { threads: args.threads }) }
  const layer = Layer.unwrapEffect(Effect.map(Effect.promise(() => import("@ganflow/backend")), (backend) => backend.layerTensorBackend(options)))
  const start = () =>
    import("@ganflow/backend")
      .then((backend) => Effect.runPromise(Effect.either(Effect.provide(backend.startedBackend, backend.layerTensorBackend(options)))))
      .then((started) => (started._tag === "Right" ? started.right : Promise.reject(started.left)))
  return { start, layer }
}
