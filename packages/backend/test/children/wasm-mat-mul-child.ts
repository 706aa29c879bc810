/**
 * Child process for the thread test: starts wasm with the thread count given as argv[2], runs one matMul and
 * prints a JSON line. It must then exit by itself (idle pthread workers must not hold the event loop).
 */
import * as tf from "@tensorflow/tfjs-core"
import { initBackend } from "../../src/index.ts"

const info = await initBackend({ backend: "wasm", threads: Number(process.argv[2]) })
const a = tf.ones([256, 256])
const product = tf.matMul(a, a)
const corner = product.dataSync()[0]
process.stdout.write(`${JSON.stringify({ name: info.name, threads: info.threads, corner })}\n`)
