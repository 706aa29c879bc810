/**
 * The tensor backend the voxel stages compute on. Nothing in the runner chooses a backend yet, so a stage that
 * touches tensors first makes sure `@ganflow/backend`'s `initBackend` has run in this process (`auto`: native
 * AVX kernels when the addon is built, else WebAssembly, else plain JS). `GANFLOW_BACKEND` names another
 * (`wasm`, `cpu`, …). The choice is not part of any cache key (every backend computes the same maths); it is
 * recorded in the run record by the stages (`ctx.env`).
 */
import { describeBackend, initBackend, type BackendInfo } from "@ganflow/backend"
import { defineStage, type InputSlot, type StageDefinition } from "@ganflow/core"
import { Effect } from "effect"

let starting: Promise<BackendInfo> | undefined

/** Runs `initBackend` once per process (unless it already ran); fails with BackendUnavailable / BackendOptionsInvalid. */
export const ensureTensorBackend: Effect.Effect<BackendInfo, unknown> = Effect.tryPromise({
  try: () => {
    try {
      return Promise.resolve(describeBackend())
    } catch {
      starting ??= initBackend({ backend: (process.env["GANFLOW_BACKEND"] ?? "auto") as "auto" }).finally(() => {
        starting = undefined
      })
      return starting
    }
  },
  catch: (e) => e,
})

/**
 * The same stage (name, version, params, inputs, outputs, checkpoint rules) with {@link ensureTensorBackend}
 * before its run: how this pipeline puts a library's training stage on the fast backend without changing it.
 * `module` (pass `import.meta.url`) is fingerprinted with what it imports, the wrapped stage's module included.
 */
export const onTensorBackend = <P, S extends Record<string, InputSlot>, V>(stage: StageDefinition<P, S, V>, module: string): StageDefinition<P, S, V> =>
  defineStage<P, S, V>({
    name: stage.name,
    version: stage.version,
    ...(stage.description !== undefined ? { description: stage.description } : {}),
    params: stage.params,
    inputs: stage.inputs,
    outputs: stage.outputs,
    resources: stage.resources,
    resumeOmits: stage.resumeOmits,
    module,
    run: (ctx) => Effect.andThen(ensureTensorBackend, stage.run(ctx)),
  })
