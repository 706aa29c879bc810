import { describe, expect, it } from "vitest"
import { EarlyStopping, EarlyStoppingConfig } from "../src/index.ts"

const config = (input: object) => {
  const out = EarlyStoppingConfig(input)
  if ("summary" in (out as object)) throw new Error((out as { summary: string }).summary)
  return out as EarlyStoppingConfig
}

describe("early stopping", () => {
  it("stops on a plateau after `patience` evaluations without an improvement of minDelta", () => {
    const es = new EarlyStopping(config({ watch: "fid", patience: 2, minDelta: 0.5 }))
    expect(es.watches("fid@random-cnn-seed0")).toBe(true)
    expect(es.watches("kid@random-cnn-seed0")).toBe(false)
    expect(es.observe(100, 50)).toBeUndefined()
    expect(es.observe(200, 40)).toBeUndefined()
    expect(es.observe(300, 39.8)).toBeUndefined() // not better by 0.5
    expect(es.observe(400, 41)).toEqual({ step: 400, reason: "plateau", message: "fid did not improve on 40 (step 200) by more than 0.5 in 2 evaluations (step 400)" })
    expect(es.observe(500, 10)).toMatchObject({ step: 400 }) // stopped stays stopped
  })

  it("stops on divergence: above the threshold after the warm-up, or not finite", () => {
    const es = new EarlyStopping(config({ watch: "fid", threshold: 100, warmupSteps: 200 }))
    expect(es.observe(100, 300)).toBeUndefined() // warm-up
    expect(es.observe(200, 80)).toBeUndefined()
    expect(es.observe(300, 150)).toEqual({ step: 300, reason: "diverged", message: "fid 150 above the threshold 100 at step 300 (after the 200-step warm-up)" })
    const loss = new EarlyStopping(config({ watch: "loss_generator" }))
    expect(loss.observe(7, Number.NaN)).toEqual({ step: 7, reason: "diverged", message: "loss_generator is NaN at step 7" })
    const is = new EarlyStopping(config({ watch: "is", mode: "max", threshold: 1.5, patience: 3 }))
    expect(is.observe(10, 1.4)).toMatchObject({ reason: "diverged", message: "is 1.4 below the threshold 1.5 at step 10" })
  })

  it("a watcher restored from its saved state decides as the uninterrupted one", () => {
    const values = [50, 45, 46, 44.9, 47, 48, 49]
    const straight = new EarlyStopping(config({ patience: 3, minDelta: 0.5 }))
    const decisions = values.map((v, i) => straight.observe((i + 1) * 10, v))
    const first = new EarlyStopping(config({ patience: 3, minDelta: 0.5 }))
    values.slice(0, 3).forEach((v, i) => first.observe((i + 1) * 10, v))
    const saved = JSON.parse(JSON.stringify(first.state()))
    const resumed = new EarlyStopping(config({ patience: 3, minDelta: 0.5 }), saved)
    expect(values.slice(3).map((v, i) => resumed.observe((i + 4) * 10, v))).toEqual(decisions.slice(3))
    expect(decisions.findIndex((d) => d !== undefined)).toBe(4) // 45 at step 20, then 46, 44.9 (< 0.5 better), 47: stale 3
  })
})
