/**
 * Sweeps in the engine: definitions expand into the grid product, zip rows, seeded random draws and seeds; bad
 * definitions fail before anything runs, naming the axis and the value; variants share the stages whose keys are
 * equal (computed once), a failing variant is recorded while the others finish, a rerun is all cache hits, and the
 * aggregation gives mean ± std over seeds of the final and the best checkpoint.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Effect, Either } from "effect"
import { type } from "arktype"
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  aggregateSweep, defineStage, expandSweep, fileInput, file, openLocalStore, parseAxisValues, parseSeeds, pipeline, planSweep, runSweep, StageCheckpoints,
  StageEvents, sweepFromOptions, sweepProblems, upstream, LocalSweepRecords, readSweepFile, SweepInvalid, type RunRecord, type SweepDefinition,
} from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
})
afterEach(() => ws.cleanup())

/** source (a file) -> train (lr, loss, seed; a "fid" per checkpoint; an lr above 1 diverges) -> score. */
const buildPipeline = () => {
  ws.write("data.txt", "faces\n")
  const source = defineStage({
    name: "source",
    module: ws.write("stages/source.ts", "// source\n"),
    params: type({ seed: "number.integer >= 0 = 0" }),
    inputs: { src: fileInput() },
    run: ({ inputs, outDir }) => Effect.sync(() => writeFileSync(join(outDir, "data.txt"), readFileSync(inputs.src.path, "utf8"))),
  })
  const train = defineStage({
    name: "toy-train",
    module: ws.write("stages/train.ts", "// train\n"),
    params: type({ lr: "number > 0 = 0.1", loss: "'bce' | 'hinge' = 'bce'", seed: "number.integer >= 0 = 0", steps: "number.integer > 0 = 4" }),
    inputs: { data: upstream() },
    resumeOmits: ["steps"],
    run: ({ params, outDir }) =>
      Effect.gen(function* () {
        const events = yield* StageEvents
        yield* StageCheckpoints
        if (params.lr > 1) return yield* Effect.fail(new Error(`loss diverged at step 2 (lr ${params.lr})`))
        // FID falls, then rises at the last step: the best checkpoint is not the last
        const base = (params.loss === "hinge" ? 10 : 20) + params.seed + params.lr * 10
        const curve = [base + 30, base + 10, base, base + 5]
        curve.forEach((v, i) => events.metric("fid@toy", v, (i + 1) * 10))
        writeFileSync(join(outDir, "model.txt"), JSON.stringify(params))
        return null
      }),
  })
  const score = defineStage({
    name: "score",
    module: ws.write("stages/score.ts", "// score\n"),
    params: type({}),
    inputs: { model: upstream() },
    run: ({ inputs, outDir }) => Effect.sync(() => writeFileSync(join(outDir, "copy.txt"), readFileSync(inputs.model.path("model.txt"), "utf8"))),
  })
  const s = source.as("data", { inputs: { src: file("data.txt") } })
  const t = train.as("train", { inputs: { data: s } })
  const sc = score.as("score", { inputs: { model: t } })
  return pipeline({ name: "toy", stages: [s, t, sc] })
}

describe("sweep definitions", () => {
  it("expand grid x zip x random x seeds, seeds innermost, random draws fixed by their seed", () => {
    const points = expandSweep({ grid: { "a.x": [1, 2], "a.y": ["p", "q"] }, zip: { "b.u": [1, 2], "b.v": [3, 4] }, seeds: [0, 1] })
    expect(points).toHaveLength(2 * 2 * 2 * 2)
    expect(points.slice(0, 3)).toEqual([
      { config: { "a.x": 1, "a.y": "p", "b.u": 1, "b.v": 3 }, seed: 0 },
      { config: { "a.x": 1, "a.y": "p", "b.u": 1, "b.v": 3 }, seed: 1 },
      { config: { "a.x": 1, "a.y": "p", "b.u": 2, "b.v": 4 }, seed: 0 },
    ])
    const random: SweepDefinition = { random: { count: 5, seed: 7, axes: { "t.lr": { logUniform: [1e-5, 1e-3] }, "t.k": { integers: [1, 3] }, "t.l": { choice: ["a", "b"] } } } }
    const drawn = expandSweep(random)
    expect(drawn).toEqual(expandSweep(random))
    expect(drawn).toHaveLength(5)
    for (const p of drawn) {
      expect(p.config["t.lr"]).toBeGreaterThanOrEqual(1e-5)
      expect(p.config["t.lr"]).toBeLessThan(1e-3)
      expect([1, 2, 3]).toContain(p.config["t.k"])
    }
    expect(new Set(drawn.map((p) => p.config["t.lr"])).size).toBe(5)
    expect(expandSweep({ ...random, random: { ...random.random!, seed: 8 } })).not.toEqual(drawn)
  })

  it("parse the command line's axes and seeds", () => {
    expect(parseSeeds("0..2")).toEqual([0, 1, 2])
    expect(parseSeeds("0,3,7")).toEqual([0, 3, 7])
    expect(parseSeeds("3..1")).toMatch(/empty/)
    expect(parseAxisValues("1e-4,2e-4")).toEqual([1e-4, 2e-4])
    expect(parseAxisValues('bce,hinge,[1,2],{"a":1,"b":2}')).toEqual(["bce", "hinge", [1, 2], { a: 1, b: 2 }])
    expect(parseAxisValues("")).toEqual([])
    expect(sweepFromOptions({ grid: ["train.lr=1,2", "train.loss=bce"], zip: [], seeds: "0..1", seedParams: [] })).toEqual({ grid: { "train.lr": [1, 2], "train.loss": ["bce"] }, seeds: [0, 1] })
    const bad = sweepFromOptions({ grid: ["train.lr"], zip: [], seeds: "x", seedParams: [] })
    expect(bad).toBeInstanceOf(SweepInvalid)
    expect((bad as SweepInvalid).problems.join("\n")).toMatch(/--grid train.lr: expected stage.param=value1,value2/)
  })

  it("report structural problems naming the axis: empty axes, unequal zips, an axis in two blocks", () => {
    const problems = sweepProblems({ grid: { "train.lr": [], "train.loss": ["bce"] }, zip: { "train.loss": [1], "train.x": [1, 2] }, seeds: [] })
    expect(problems).toEqual(expect.arrayContaining([
      "sweep axis train.lr (grid) is empty: give at least one value",
      "sweep axis train.loss is in both grid and zip (an axis belongs to one block)",
      "zip axes must have as many values each: train.loss has 1, train.x has 2",
      "the seed axis is empty: give at least one seed",
    ]))
  })

  it("a sweep file is checked by its schema", () => {
    const path = ws.write("sweeps/bad.json", JSON.stringify({ grid: { "train.lr": [1] }, seeds: "0..2", extra: 1 }))
    const bad = readSweepFile(path, "sweeps/bad.json")
    expect(bad).toBeInstanceOf(SweepInvalid)
    expect((bad as SweepInvalid).message).toMatch(/sweeps\/bad.json: extra must be removed/)
    const good = readSweepFile(ws.write("sweeps/good.json", JSON.stringify({ grid: { "train.lr": [1] }, seeds: "0..2" })), "good")
    expect(good).toEqual({ grid: { "train.lr": [1] }, seeds: [0, 1, 2] })
  })

  it("a definition that does not fit the pipeline fails naming the axis and value; nothing is written", () => {
    const toy = buildPipeline()
    const problemsOf = (definition: SweepDefinition) => {
      const planned = planSweep(toy, definition, { root: ws.root })
      expect(Either.isLeft(planned)).toBe(true)
      return (planned as Either.Left<SweepInvalid, never>).left.problems.join("\n")
    }
    expect(problemsOf({ grid: { "train.lrr": [0.1] } })).toMatch(/sweep axis train.lrr, value 0.1: train.params.lrr: unknown key \(did you mean lr\?\)/)
    expect(problemsOf({ grid: { "trian.lr": [0.1] } })).toMatch(/sweep axis trian.lr, value 0.1: no stage named trian \(did you mean train\?\)/)
    expect(problemsOf({ grid: { "train.loss": ["bce", "wgan"] } })).toMatch(/sweep axis train.loss, value "wgan": train.params.loss: must be "bce" or "hinge" \(was "wgan"\)/)
    expect(problemsOf({ grid: { "train.lr": [] } })).toMatch(/sweep axis train.lr \(grid\) is empty/)
    expect(problemsOf({ grid: { "train.lr": [0.1] }, seeds: [0], seedParams: ["train.sed"] })).toMatch(/seed param train.sed: train has no numeric param sed/)
    expect(problemsOf({ grid: { "train.seed": [1] }, seeds: [0] })).toMatch(/sweep axis train.seed is also where the seed axis goes/)
    expect(existsSync(join(ws.root, ".ganflow"))).toBe(false)
  })
})

describe("running a sweep", () => {
  it("2 x 2 grid x 3 seeds: shared stages run once, a diverging configuration fails alone, a rerun is all hits, mean ± std per configuration", async () => {
    const toy = buildPipeline()
    const storeDir = join(ws.root, ".ganflow")
    const definition: SweepDefinition = { grid: { "train.lr": [0.1, 5], "train.loss": ["bce", "hinge"] }, seeds: [0, 1, 2] }
    const ended: string[] = []
    const first = await Effect.runPromise(
      runSweep(toy, definition, { root: ws.root, storeDir, jobs: 2, sweepReporter: { start: () => {}, variant: () => ({ event: () => {} }), variantEnd: (v, r) => void ended.push(`${v.id}:${r.status}`) } }),
    )
    expect(ended).toHaveLength(12)
    // the source and its data: one execution for the whole sweep; the seed goes to the training stage only
    expect(first.record.seedParams).toEqual(["train.seed"])
    expect(first.cache.sharedByAll).toEqual(["data"])
    const dataRuns = [...first.runs.values()].flatMap((r) => r.stages.filter((s) => s.name === "data" && s.status === "ran"))
    expect(dataRuns).toHaveLength(1)
    expect(first.record.status).toBe("failed")
    const failed = first.record.variants.filter((v) => v.status === "failed")
    expect(failed.map((v) => v.config["train.lr"])).toEqual([5, 5, 5, 5, 5, 5])
    expect(failed[0]!.error).toMatch(/train: .*loss diverged at step 2 \(lr 5\)/)
    expect(first.record.variants.filter((v) => v.status === "ok")).toHaveLength(6)
    // 12 variants x 3 stages; data ran once, train 12 times (6 failed), score 6 times (6 skipped)
    expect(first.cache).toMatchObject({ stageExecutions: 36, ran: 1 + 6 + 6, cached: 11 })

    // the record is beside the run records and lists run ids
    const records = new LocalSweepRecords(storeDir)
    expect(records.sweepIds()).toEqual([first.record.id])
    const stored = records.readSweep(first.record.id)!
    expect(stored.variants.filter((v) => v.runId !== null)).toHaveLength(12)

    // the rerun: every finished stage is a hit; the failing ones fail again
    const again = await Effect.runPromise(runSweep(toy, definition, { root: ws.root, storeDir, jobs: 2 }))
    expect(again.record.id).toBe(first.record.id)
    expect(again.record.attempts).toBe(2)
    for (const run of again.runs.values()) expect(run.stages.every((s) => s.status === "cached")).toBe(true)

    const store = openLocalStore(storeDir)
    const runs = new Map(store.runs.runIds().map((id) => [id, store.runs.readRun(id) as unknown as RunRecord]))
    const table = aggregateSweep(again.record, runs, "fid")
    if (typeof table === "string") throw new Error(table)
    expect(table.rows.map((r) => [r.config, r.seeds.length, r.failures])).toEqual([
      [{ "train.lr": 0.1, "train.loss": "hinge" }, 3, 0],
      [{ "train.lr": 0.1, "train.loss": "bce" }, 3, 0],
      [{ "train.lr": 5, "train.loss": "bce" }, 0, 3],
      [{ "train.lr": 5, "train.loss": "hinge" }, 0, 3],
    ])
    const hinge = table.rows[0]!.metrics["train.fid@toy"]!
    // best = base (step 30), final = base + 5; base = 10 + seed + 1 over seeds 0, 1, 2
    expect(hinge.best).toEqual({ mean: 12, std: 1, min: 11, max: 13, n: 3 })
    expect(hinge.final).toEqual({ mean: 17, std: 1, min: 16, max: 18, n: 3 })
    expect(hinge.bestSteps).toEqual([30, 30, 30])
    expect(table.rows[2]!.errors[0]!.error).toMatch(/diverged/)
    expect(aggregateSweep(again.record, runs, "is")).toMatch(/--sort is: no metric named is in this sweep \(metrics: fid\)/)
    expect(readdirSync(join(storeDir, "sweeps"))).toEqual([`${first.record.id}.json`])
  }, 60_000)
})
