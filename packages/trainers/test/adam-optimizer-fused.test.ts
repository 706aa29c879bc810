import { registerNativeBackend } from "@ganflow/native"
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { AdamOptimizer } from "../src/index.ts"

// AdamOptimizer runs the native backend's fused Adam kernel where it is registered and the composed ops elsewhere;
// both must give the same bits, step after step (the trainers' determinism and checkpoint resume rely on it).
beforeAll(async () => {
  await registerNativeBackend({ threads: 2 })
})

/** Five Adam steps on seeded variables of a few shapes (one over the kernel's parallel grain) on `backend`. */
const adamSteps = async (backend: string): Promise<Float32Array[]> => {
  await tf.setBackend(backend)
  const shapes = [[3], [40, 7], [70001]]
  const vars = shapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, "float32", i + 1), true, `fused-adam-${backend}-${i}`))
  const optimizer = new AdamOptimizer(vars, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 })
  const before = tf.memory().numTensors
  for (let step = 0; step < 5; step++) {
    const grads: tf.NamedTensorMap = {}
    vars.forEach((v, i) => (grads[v.name] = tf.randomNormal(v.shape, 0, 1, "float32", 100 * step + i + 1))) // seed 0 means unseeded
    optimizer.applyGradients(grads)
    tf.dispose(Object.values(grads))
  }
  expect(tf.memory().numTensors).toBe(before)
  const out = [...vars, ...optimizer.state().firstMoments, ...optimizer.state().secondMoments].map((t) => t.dataSync() as Float32Array)
  optimizer.dispose()
  tf.dispose(vars)
  return out
}

describe("AdamOptimizer with the fused kernel", () => {
  it("is used on the native backend and matches the composed ops on cpu bit for bit", async () => {
    expect(tf.getKernel("GanflowAdamUpdate", "native")).toBeDefined()
    expect(tf.getKernel("GanflowAdamUpdate", "cpu")).toBeUndefined()
    const cpu = await adamSteps("cpu")
    const native = await adamSteps("native")
    expect(native.length).toBe(cpu.length)
    native.forEach((values, i) => {
      const a = new Uint32Array(values.buffer, values.byteOffset, values.length)
      const b = new Uint32Array(cpu[i]!.buffer, cpu[i]!.byteOffset, cpu[i]!.length)
      let differing = 0
      for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) differing++
      expect(differing, `tensor ${i}`).toBe(0)
    })
  })
})
