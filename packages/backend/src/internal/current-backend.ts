/** The record of the backend `initBackend` last chose (process-wide, as tfjs' active backend is). */
import type { BackendInfo } from "../backend-info.ts"

let current: BackendInfo | undefined

/** Remembers the chosen backend. */
export const rememberBackend = (info: BackendInfo): void => {
  current = info
}

/** The remembered backend, if any. */
export const rememberedBackend = (): BackendInfo | undefined => current
