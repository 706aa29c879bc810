import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { initBackend } from "@ganflow/backend"
import * as tf from "@tensorflow/tfjs-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parseTrainConfig, type TrainedGan, train } from "../src/index.ts"

// The same checks as on cpu (train.test.ts), on the wasm backend as @ganflow/backend sets it up (2 threads,
// its training kernels for conv gradients and transposed matMuls).
let images: tf.Tensor
const dirs: string[] = []
beforeAll(async () => {
  const info = await initBackend({ backend: "wasm", threads: 2 })
  expect(info.name).toBe("wasm")
  images = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([48, 28, 28, 1], 0, 1, "float32", 7), 2), 1))
})
afterAll(() => {
  images.dispose()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const weightsOf = (t: TrainedGan): number[][] =>
  [...t.models.generator.getWeights(), ...t.models.discriminator.getWeights()].map((w) => Array.from(w.dataSync()))

describe("determinism on wasm", () => {
  for (const model of [
    { architecture: "vanilla", options: { hidden: 32 } },
    { architecture: "dcgan", options: { resolution: 28, ngf: 4 } },
  ] as const) {
    it(`${model.architecture}: same seed -> same weights; resume -> the uninterrupted run's weights`, async () => {
      const config = { model, steps: 4, batchSize: 8, seed: 2 }
      const a = await train({ config: parseTrainConfig(config), data: { images } })
      const b = await train({ config: parseTrainConfig(config), data: { images } })
      expect(weightsOf(a)).toEqual(weightsOf(b))
      const dir = mkdtempSync(join(tmpdir(), "ganflow-wasm-"))
      dirs.push(dir)
      ;(await train({ config: parseTrainConfig({ ...config, steps: 2 }), data: { images }, checkpointDir: dir })).dispose()
      const resumed = await train({ config: parseTrainConfig(config), data: { images }, resumeFrom: join(dir, "step-000002") })
      expect(weightsOf(resumed)).toEqual(weightsOf(a))
      for (const t of [a, b, resumed]) t.dispose()
    }, 60_000)
  }
})
