/**
 * The backend pipeline stages compute on. A stage calls `await stageBackend()` before its first tensor op and
 * records the result (`ctx.env({ backend: await stageBackend() })`). The first call in a process chooses the
 * backend with {@link initBackend} from `GANFLOW_BACKEND` (default `auto`: the fastest one that runs here) and
 * `GANFLOW_THREADS` — what `ganflow run --backend … --threads …` sets — unless a backend was already chosen in
 * this process without the variable (by `initBackend`, or `tf.setBackend` in a test). Cached runs never call it,
 * so a run with nothing to do loads no backend.
 */
import * as tf from "@tensorflow/tfjs-core"
import { backendRecord } from "./backend-record.ts"
import { initBackend } from "./init-backend.ts"
import { rememberedBackend } from "./internal/current-backend.ts"

let choosing: Promise<unknown> | undefined

/** Whether anything in this process has made tfjs pick a backend yet. */
const backendChosen = (): boolean => rememberedBackend() !== undefined || (tf.engine() as unknown as { backendInstance: unknown }).backendInstance != null

/** Chooses the stage backend once per process (see the module doc) and returns its JSON record. */
export const stageBackend = async (): Promise<ReturnType<typeof backendRecord>> => {
  const requested = process.env["GANFLOW_BACKEND"]
  const threads = process.env["GANFLOW_THREADS"]
  choosing ??= requested === undefined && backendChosen()
    ? tf.ready()
    : initBackend({
        backend: (requested ?? "auto") as "auto",
        ...(threads === undefined ? {} : { threads: Number(threads) }),
      })
  await choosing
  return backendRecord()
}
