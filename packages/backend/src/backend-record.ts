/**
 * The backend facts a stage writes into its run record (`ctx.env({ backend: backendRecord() })`): the full
 * {@link BackendInfo} when `initBackend` chose the running backend, else what tfjs-core can tell (its backend
 * name and version) with a note that the choice was made by hand.
 */
import { getBackend, version_core } from "@tensorflow/tfjs-core"
import type { BackendInfo } from "./backend-info.ts"
import { describeBackend } from "./describe-backend.ts"

/** A JSON-ready record of the running backend. */
export const backendRecord = (): BackendInfo | { readonly tfjsBackend: string; readonly versions: Readonly<Record<string, string>>; readonly notes: ReadonlyArray<string> } => {
  try {
    return describeBackend()
  } catch {
    return { tfjsBackend: getBackend(), versions: { "@tensorflow/tfjs-core": version_core }, notes: ["set with tf.setBackend, not initBackend: threads and ISA unknown"] }
  }
}
