/**
 * The tensor backend as an Effect service: stages that compute with tensors require `TensorBackend` and read its
 * record; `layerTensorBackend(options)` provides it by running `initBackend` once.
 */
import { Context, Effect, Layer } from "effect"
import { reasonFrom } from "./backend-candidate.ts"
import { BackendOptionsInvalid, BackendUnavailable } from "./backend-errors.ts"
import type { BackendInfo } from "./backend-info.ts"
import type { BackendOptionsInput } from "./backend-options.ts"
import { initBackend } from "./init-backend.ts"

/** The backend tensors are computed on, with its record. */
export class TensorBackend extends Context.Tag("@ganflow/backend/tensor-backend")<TensorBackend, BackendInfo>() {}

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

/** Provides {@link TensorBackend} by initialising the backend chosen by `options`. */
export const layerTensorBackend = (
  options: BackendOptionsInput = {},
): Layer.Layer<TensorBackend, BackendUnavailable | BackendOptionsInvalid> =>
  Layer.effect(TensorBackend, initBackendEffect(options))
