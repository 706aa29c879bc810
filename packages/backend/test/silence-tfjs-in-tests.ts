/**
 * Setup file of every package's tests (see the root vitest.config.ts): tests use the cpu backend directly
 * (`tf.setBackend("cpu")`), which would print tfjs' "install tfjs-node" banner in the middle of the test output.
 */
import { silenceTfjsNotices } from "../src/silence-tfjs-notices.ts"

silenceTfjsNotices()
