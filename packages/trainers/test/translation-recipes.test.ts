/**
 * The pix2pix and CycleGAN recipes on tiny networks: deterministic, exact resume (pix2pix's dropout draws, CycleGAN's
 * history buffers, unpaired stream and decaying learning rate included), every loss term logged, stable memory, and
 * data that does not fit named.
 */
import "@tensorflow/tfjs-backend-cpu"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CycleganConfig, cycleganRecipe, learningRateAt, Pix2pixConfig, pix2pixRecipe, readCheckpointManifest, trainRecipe, type TrainedRecipe } from "../src/index.ts"

const dirs: string[] = []
let paired: { inputs: tf.Tensor; targets: tf.Tensor }
let unpaired: { a: tf.Tensor; b: tf.Tensor }
beforeAll(async () => {
  await tf.setBackend("cpu")
  const inputs = tf.randomUniform([6, 70, 70, 3], -1, 1, "float32", 1)
  paired = { inputs, targets: tf.tidy(() => tf.neg(inputs)) }
  unpaired = { a: tf.randomUniform([5, 18, 18, 3], -1, 1, "float32", 2), b: tf.randomUniform([4, 18, 18, 3], -1, 1, "float32", 3) }
})
afterAll(() => {
  tf.dispose([...Object.values(paired), ...Object.values(unpaired)])
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const weightsOf = (t: TrainedRecipe<any>) => Object.values(t.networks).flatMap((n: any) => n.getWeights()).map((w: tf.Tensor) => Array.from(w.dataSync()))
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "ganflow-translation-recipe-"))
  dirs.push(d)
  return d
}

describe("pix2pix recipe", () => {
  // 64 px: a U-Net of 6 downsamplings, so one decoder block has test-time dropout
  const config = (steps: number, extra: object = {}) =>
    Pix2pixConfig.assert({ steps, batchSize: 2, seed: 3, size: 64, generator: { ngf: 2, norm: "instance" }, discriminator: { ndf: 2, norm: "instance" }, ...extra })

  it("trains deterministically, logs cGAN and λ·L1, and resumes to exactly the uninterrupted weights", async () => {
    const whole = await trainRecipe({ recipe: pix2pixRecipe.create(config(3), 3), settings: config(3), data: paired })
    const again = await trainRecipe({ recipe: pix2pixRecipe.create(config(3), 3), settings: config(3), data: paired })
    expect(weightsOf(whole)).toEqual(weightsOf(again))
    expect(Object.keys(whole.losses!).sort()).toEqual(["discriminator", "generator", "generator/adversarial", "generator/l1"])
    expect(whole.losses!["generator"]).toBeCloseTo(whole.losses!["generator/adversarial"]! + whole.losses!["generator/l1"]!, 4)
    expect(whole.losses!["generator/l1"]! / 100).toBeLessThan(2) // λ = 100 times a mean |G(x) − y| of images in [-1, 1]
    const dir = tmp()
    const first = await trainRecipe({ recipe: pix2pixRecipe.create(config(2, { checkpointEvery: 2 }), 3), settings: config(2, { checkpointEvery: 2 }), data: paired, checkpointDir: dir })
    first.dispose()
    expect(readCheckpointManifest(join(dir, "step-000002")).counters).toMatchObject({ "dropout-draws": 2 })
    const resumed = await trainRecipe({ recipe: pix2pixRecipe.create(config(3), 3), settings: config(3), data: paired, resumeFrom: join(dir, "step-000002") })
    expect(weightsOf(resumed)).toEqual(weightsOf(whole))
    for (const t of [whole, again, resumed]) t.dispose()
  }, 60_000)

  it("keeps tf.memory().numTensors constant across steps; names a missing or too small field", async () => {
    const counts: number[] = []
    const t = await trainRecipe({ recipe: pix2pixRecipe.create(config(2), 1), settings: config(2), data: paired, onProgress: () => void counts.push(tf.memory().numTensors) })
    expect(counts.every((c) => c === counts[0])).toBe(true)
    t.dispose()
    await expect(trainRecipe({ recipe: pix2pixRecipe.create(config(1), 1), settings: config(1), data: { inputs: paired.inputs } })).rejects.toThrow(/targets is missing/)
    const small = { inputs: unpaired.a, targets: unpaired.a }
    await expect(trainRecipe({ recipe: pix2pixRecipe.create(config(1), 1), settings: config(1), data: small })).rejects.toThrow(/inputs are \[18,18,3\]; pix2pix at 64 px needs/)
  }, 60_000)
})

describe("CycleGAN recipe", () => {
  // the paper's schedule: constant for the first half of the run, then linear decay (the trainer's linear-decay)
  const config = (steps: number, extra: object = {}) =>
    CycleganConfig.assert({ steps, batchSize: 1, seed: 5, size: 16, historySize: 2, generator: { ngf: 2, blocks: 1 }, discriminator: { ndf: 2, layers: 2 }, learningRateSchedule: { kind: "linear-decay", startStep: 3 }, ...extra })

  it("learning rate: constant for the first half, then linear decay towards 0 (the reference's lambda rule)", () => {
    const schedule = { kind: "linear-decay", startStep: 5 } as const
    expect([0, 4, 5, 7, 9].map((t) => learningRateAt(schedule, 1, t, 10))).toEqual([1, 1, 1 - 1 / 6, 1 - 3 / 6, 1 - 5 / 6])
  })

  it("trains deterministically with every term logged; resumes exactly (history buffers, unpaired stream, schedule)", async () => {
    const whole = await trainRecipe({ recipe: cycleganRecipe.create(config(6), 5), settings: config(6), data: unpaired })
    const again = await trainRecipe({ recipe: cycleganRecipe.create(config(6), 5), settings: config(6), data: unpaired })
    expect(weightsOf(whole)).toEqual(weightsOf(again))
    expect(Object.keys(whole.losses!).sort()).toEqual([
      "discriminator", "discriminator/discriminator-a", "discriminator/discriminator-b", "generator", "generator/adversarial-ab", "generator/adversarial-ba",
      "generator/cycle-a", "generator/cycle-b", "generator/identity-a", "generator/identity-b",
    ])
    const dir = tmp()
    // the schedule spans the step budget (6): a run stopped at step 3 of it resumes onto the same rates
    const first = await trainRecipe({ recipe: cycleganRecipe.create(config(6), 5), settings: config(6, { checkpointEvery: 3 }), data: unpaired, checkpointDir: dir })
    first.dispose()
    const manifest = readCheckpointManifest(join(dir, "step-000003"))
    expect(manifest.counters).toMatchObject({ "history-a": 2, "history-b": 2 }) // full after 3 steps of batch 1
    expect(manifest.dataCursors).toHaveLength(1) // B's own stream
    const resumed = await trainRecipe({ recipe: cycleganRecipe.create(config(6), 5), settings: config(6), data: unpaired, resumeFrom: join(dir, "step-000003") })
    expect(weightsOf(resumed)).toEqual(weightsOf(whole))
    for (const t of [whole, again, resumed]) t.dispose()
  }, 60_000)

  it("keeps tf.memory().numTensors constant and frees everything (buffers, handed-over fakes) on dispose", async () => {
    const before = tf.memory().numTensors
    const counts: number[] = []
    const t = await trainRecipe({ recipe: cycleganRecipe.create(config(4, { identityFraction: 0 }), 1), settings: config(4), data: unpaired, onProgress: () => void counts.push(tf.memory().numTensors) })
    expect(counts.every((c) => c === counts[0])).toBe(true)
    expect(Object.keys(t.losses!)).not.toContain("generator/identity-a")
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  }, 60_000)
})
