/**
 * The record of the running backend, for stages to put into run records.
 */
import { getBackend } from "@tensorflow/tfjs-core"
import { BackendNotInitialised } from "./backend-errors.ts"
import type { BackendInfo } from "./backend-info.ts"
import { rememberedBackend } from "./internal/current-backend.ts"

/**
 * The {@link BackendInfo} of the backend `initBackend` chose. Throws `BackendNotInitialised` before any
 * `initBackend`, or when tfjs has since been switched to another backend by hand (the record would lie).
 */
export const describeBackend = (): BackendInfo => {
  const info = rememberedBackend()
  if (info === undefined || getBackend() !== info.tfjsBackend) throw new BackendNotInitialised()
  return info
}
