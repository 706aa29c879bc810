/**
 * Learning-rate schedules and RMSProp (with WGAN's weight clipping) against PyTorch: the values come from
 * `test/reference/optimizer_schedules_reference.py` (torch 1.13, kept as `optimizer-schedules.json`).
 */
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { clipWeights, LearningRateSchedule, learningRateAt, RmsPropOptimizer, scheduleProblem } from "../src/index.ts"

const reference = JSON.parse(readFileSync(join(import.meta.dirname, "reference", "optimizer-schedules.json"), "utf8")) as {
  base: number
  steps: number
  linearDecayStart: number
  linear: number[]
  cosine: number[]
  step: number[]
  rmsprop: RmsPropCase
  rmspropClipped: RmsPropCase
}
interface RmsPropCase {
  grads: Array<{ w: number[][]; b: number[] }>
  w: number[][]
  b: number[]
  squareAverages: [number[][], number[]]
}

beforeAll(async () => {
  await tf.setBackend("cpu")
})

describe("learning-rate schedules", () => {
  const rates = (schedule: unknown) => {
    const parsed = LearningRateSchedule(schedule)
    if (parsed instanceof Error || "summary" in (parsed as object)) throw new Error(String((parsed as { summary?: string }).summary))
    return Array.from({ length: reference.steps }, (_, t) => learningRateAt(parsed as LearningRateSchedule, reference.base, t, reference.steps))
  }
  const close = (actual: number[], expected: number[]) => actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 15))

  it("match PyTorch: CycleGAN's linear decay, CosineAnnealingLR, StepLR; constant is constant", () => {
    close(rates({ kind: "linear-decay", startStep: reference.linearDecayStart }), reference.linear)
    close(rates({ kind: "cosine", minLearningRate: 1e-5 }), reference.cosine)
    close(rates({ kind: "step", every: 5, factor: 0.5 }), reference.step)
    expect(rates({ kind: "constant" })).toEqual(Array(reference.steps).fill(reference.base))
  })

  it("defaults and problems: cosine to 0, StepLR γ 0.1; a decay that never starts is named", () => {
    expect(LearningRateSchedule({ kind: "cosine" })).toEqual({ kind: "cosine", minLearningRate: 0 })
    expect(LearningRateSchedule({ kind: "step", every: 100 })).toEqual({ kind: "step", every: 100, factor: 0.1 })
    expect(String((LearningRateSchedule({ kind: "cosine", every: 3 }) as { summary: string }).summary)).toMatch(/every/)
    expect(scheduleProblem({ kind: "linear-decay", startStep: 100 }, 100, 2e-4)).toMatch(/startStep 100 is not before the last step/)
    expect(scheduleProblem({ kind: "linear-decay", startStep: 50 }, 100, 2e-4)).toBeUndefined()
  })
})

describe("RMSProp", () => {
  const run = (c: RmsPropCase, clip: boolean, steps: [number, number] = [0, c.grads.length], from?: RmsPropOptimizer) => {
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[0.004, -0.002, 0.009], [0.001, 0.0, -0.008]]), true, `w-${Math.random()}`))
    const b = tf.tidy(() => tf.variable(tf.tensor1d([0.5, -0.25, 0.125]), true, `b-${Math.random()}`))
    const opt = new RmsPropOptimizer([w, b], { learningRate: 5e-3, alpha: 0.99, epsilon: 1e-8 })
    return { w, b, opt, go: () => {
      for (let t = steps[0]; t < steps[1]; t++) {
        const grads = { [w.name]: tf.tensor2d(c.grads[t]!.w), [b.name]: tf.tensor1d(c.grads[t]!.b) }
        ;(from ?? opt).applyGradients(grads)
        if (clip) clipWeights([w, b], 0.01)
        tf.dispose(Object.values(grads))
      }
    } }
  }

  it("matches torch.optim.RMSprop, with and without WGAN's clipping, and leaks no tensors", () => {
    for (const [c, clip] of [[reference.rmsprop, false], [reference.rmspropClipped, true]] as const) {
      const before = tf.memory().numTensors
      const { w, b, opt, go } = run(c, clip)
      go()
      const near = (actual: Float32Array | Int32Array | Uint8Array, expected: number[]) => Array.from(actual).forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThan(2e-7))
      near(w.dataSync(), c.w.flat())
      near(b.dataSync(), c.b)
      near(opt.state().squareAverages[0]!.dataSync(), c.squareAverages[0].flat())
      near(opt.state().squareAverages[1]!.dataSync(), c.squareAverages[1])
      if (clip) for (const v of [...w.dataSync(), ...b.dataSync()]) expect(Math.abs(v)).toBeLessThanOrEqual(0.01)
      expect(opt.step).toBe(5)
      opt.dispose()
      tf.dispose([w, b])
      expect(tf.memory().numTensors).toBe(before)
    }
  })

  it("a restored state continues bit for bit", () => {
    const c = reference.rmsprop
    const straight = run(c, false)
    straight.go()
    const first = run(c, false, [0, 3])
    first.go()
    const saved = first.opt.state().squareAverages.map((s) => tf.clone(s))
    const resumed = run(c, false, [3, 5])
    resumed.w.assign(first.w)
    resumed.b.assign(first.b)
    // as a checkpoint restores it: the state groups assigned in place, then the step
    resumed.opt.stateGroups()["square-average"]!.forEach((v, i) => v.assign(saved[i]!))
    resumed.opt.restoreStep(first.opt.step)
    resumed.go()
    expect(resumed.opt.step).toBe(5)
    expect(Array.from(resumed.w.dataSync())).toEqual(Array.from(straight.w.dataSync()))
    expect(Array.from(resumed.b.dataSync())).toEqual(Array.from(straight.b.dataSync()))
    for (const r of [straight, first, resumed]) {
      r.opt.dispose()
      tf.dispose([r.w, r.b])
    }
    tf.dispose(saved)
  })
})
