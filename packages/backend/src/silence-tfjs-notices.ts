/**
 * Keeps TensorFlow.js from printing what a user did not ask for. tfjs routes its notices — the "install tfjs-node
 * to speed things up" banner the cpu backend prints on first use in Node, "Platform node has already been set",
 * flag re-registration, kernel re-registration — through `backend_util.warn` / `log`, which print unless the flag
 * `PROD` (or `IS_TEST`) is set. Setting `PROD` changes nothing else in 4.22 (it gates only those messages).
 * Deprecation warnings keep their own switch and stay on.
 */
import { env } from "@tensorflow/tfjs-core"

/** Sets tfjs' `PROD` flag; idempotent. Call before the first tensor is made. */
export const silenceTfjsNotices = (): void => {
  env().set("PROD", true)
}
