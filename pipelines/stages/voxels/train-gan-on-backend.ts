/**
 * `@ganflow/trainers`' `train-gan` stage, unchanged (same name, params, outputs, checkpoints), run after
 * {@link ensureTensorBackend} so it trains on the fastest backend this machine has rather than tfjs' plain-JS default.
 */
import { trainGan } from "@ganflow/trainers/stages/index"
import { onTensorBackend } from "./tensor-backend.ts"

/** `train-gan` on the backend `initBackend` picks (`GANFLOW_BACKEND` to choose). */
export const trainGanOnBackend = onTensorBackend(trainGan, import.meta.url)
