/**
 * Losses stay on the backend until read: one read returns every pending step in order, names the first
 * non-finite loss (step and player), and frees every tensor; the trainer reads once per log interval.
 */
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it, vi } from "vitest"
import { PendingLosses } from "../src/pending-losses.ts"
import { parseTrainConfig, TrainingDiverged, train } from "../src/index.ts"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

const step = (d: number, g: number, gp?: number) => ({ discriminator: tf.scalar(d), ...(gp === undefined ? {} : { "discriminator/gradient-penalty": tf.scalar(gp) }), generator: tf.scalar(g) })

describe("PendingLosses", () => {
  it("reads every pending step at once, in order, and frees the tensors", async () => {
    const before = tf.memory().numTensors
    const pending = new PendingLosses()
    pending.push(1, 10, step(1, 2))
    pending.push(2, 11, step(3, 4, 0.5))
    const read = await pending.read()
    expect(read).toEqual([
      { step: 1, stepMs: 10, losses: { discriminator: 1, generator: 2 } },
      { step: 2, stepMs: 11, losses: { discriminator: 3, "discriminator/gradient-penalty": 0.5, generator: 4 } },
    ])
    expect(pending.size).toBe(0)
    expect(tf.memory().numTensors).toBe(before)
  })

  it("names the first step whose loss is not finite, discriminator before generator", async () => {
    const pending = new PendingLosses()
    pending.push(1, 1, step(1, 2))
    pending.push(2, 1, step(0, Infinity))
    pending.push(3, 1, step(NaN, 0))
    await expect(pending.read()).rejects.toMatchObject({ _tag: "TrainingDiverged", step: 2, phase: "generator" })
    await expect(pending.read()).resolves.toEqual([])
    expect(TrainingDiverged).toBeDefined()
  })

  it("the trainer reads the losses back once per log interval (plus checkpoints), asynchronously", async () => {
    const images = tf.randomUniform([32, 8, 8, 1], -1, 1, "float32", 3)
    const read = vi.spyOn(PendingLosses.prototype, "read")
    const syncReads = vi.spyOn(tf.Tensor.prototype, "dataSync")
    const config = { model: { architecture: "vanilla", options: { hidden: 8, imageShape: [8, 8, 1], latentDim: 4 } }, steps: 6, batchSize: 8, logEvery: 3, sampleEvery: 0, checkpointEvery: 0 }
    const t = await train({ config: parseTrainConfig(config), data: { images } })
    expect(read).toHaveBeenCalledTimes(2)
    expect(syncReads).not.toHaveBeenCalled()
    t.dispose()
    images.dispose()
    read.mockRestore()
    syncReads.mockRestore()
  })
})
