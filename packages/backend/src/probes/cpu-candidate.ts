/**
 * Candidate for `@tensorflow/tfjs-backend-cpu`: plain JavaScript, one thread, always available. Slow (about
 * 1 GFLOP/s): for tests of tiny models.
 */
import * as tf from "@tensorflow/tfjs-core"
import { version_cpu } from "@tensorflow/tfjs-backend-cpu"
import { unavailable, type BackendCandidate } from "../backend-candidate.ts"

/** The pure-JS cpu backend. */
export const cpuCandidate: BackendCandidate = {
  name: "cpu",
  activate: async () => {
    if (!(await tf.setBackend("cpu"))) return unavailable("the cpu backend did not start")
    return {
      available: true,
      info: {
        name: "cpu",
        tfjsBackend: "cpu",
        versions: { "@tensorflow/tfjs-core": tf.version_core, "@tensorflow/tfjs-backend-cpu": version_cpu },
        threads: 1,
        simd: false,
      },
    }
  },
}
