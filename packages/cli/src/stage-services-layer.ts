/**
 * Every service the CLI gives a run's stages: the tensor backend (started on first use, see `tensor-backend-layer.ts`)
 * and the live metrics a training stage computes with `train.liveMetrics` (`@ganflow/metrics/live`, loaded when the
 * services are first built, i.e. when a stage runs).
 */
import { Effect, Layer } from "effect"
import type { LazyTensorBackend } from "./tensor-backend-layer.ts"

/** The stages' services for a command whose backend is `backend`. */
export const stageServicesLayer = (backend: LazyTensorBackend) =>
  Layer.merge(backend.layer, Layer.unwrapEffect(Effect.map(Effect.promise(() => import("@ganflow/metrics/live")), (live) => live.layerLiveMetrics)))
