import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Effect, Either, Exit, Fiber } from "effect"
import { type } from "arktype"
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  collectingReporter, defineStage, file, folder, folderInput, fileInput, openLocalStore, pipeline, runPipeline, StageCheckpoints, StageEvents, upstream,
  type PipelineDefinition, type RunEvent,
  collectGarbage,
} from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
})
afterEach(() => ws.cleanup())

/** Stages of a small DAG: read (folder) -> upper -> count; read -> lines; count + lines -> join. */
const buildPipeline = (opts: { upperFails?: boolean } = {}) => {
  const code = (name: string, body = "") => ws.write(`stages/${name}.ts`, `import { shout } from "./shared.ts"\n${body}`)
  if (!existsSync(ws.path("stages/shared.ts"))) ws.write("stages/shared.ts", "export const shout = (s: string) => s.toUpperCase()\n")
  const read = defineStage({
    name: "read",
    module: code("read"),
    params: type({}),
    inputs: { src: folderInput() },
    run: ({ inputs, outDir }) =>
      Effect.sync(() => {
        const text = inputs.src.files.map((f) => readFileSync(join(inputs.src.path, f), "utf8")).join("")
        writeFileSync(join(outDir, "text.txt"), text)
        return null
      }),
  })
  const upper = defineStage({
    name: "upper",
    module: code("upper"),
    params: type({ mode: "'upper' | 'same' = 'upper'", trim: "boolean = false" }),
    inputs: { text: upstream() },
    run: ({ inputs, outDir, params }) =>
      opts.upperFails ? Effect.fail(new Error("boom in upper")) : Effect.sync(() => {
        let t = readFileSync(inputs.text.path("text.txt"), "utf8")
        if (params.trim) t = t.trimEnd() + "\n" // a no-op on text that ends with one newline: early cutoff
        writeFileSync(join(outDir, "upper.txt"), params.mode === "upper" ? t.toUpperCase() : t)
        return null
      }),
  })
  const count = defineStage({
    name: "count",
    module: code("count"),
    params: type({}),
    inputs: { text: upstream() },
    run: ({ inputs, outDir }) =>
      Effect.gen(function* () {
        const events = yield* StageEvents
        const n = readFileSync(inputs.text.path("upper.txt"), "utf8").replace(/[^A-Z]/g, "").length
        writeFileSync(join(outDir, "n.json"), JSON.stringify(n))
        events.metric("chars", n)
        return n
      }),
  })
  const lines = defineStage({
    name: "lines",
    module: code("lines"),
    params: type({}),
    inputs: { text: upstream(), extra: fileInput({ optional: true }) },
    run: ({ inputs }) =>
      Effect.sync(() => readFileSync(inputs.text.path("text.txt"), "utf8").split("\n").length + (inputs.extra === undefined ? 0 : readFileSync(inputs.extra.path, "utf8").length)),
  })
  const joined = defineStage({
    name: "join",
    module: code("join"),
    params: type({}),
    inputs: { n: upstream<number>(), lines: upstream<number>() },
    run: ({ inputs }) => Effect.succeed({ n: inputs.n.value, lines: inputs.lines.value }),
  })
  const readText = read.as("read", { inputs: { src: folder("data") } })
  const upperText = upper.as("upper", { inputs: { text: readText } })
  const counted = count.as("count", { inputs: { text: upperText } })
  const lineCount = lines.as("lines", { inputs: { text: readText, extra: file("extra.txt") } })
  return pipeline({
    name: "t",
    stages: [readText, upperText, counted, lineCount, joined.as("join", { inputs: { n: counted, lines: lineCount } })],
  })
}

const run = async (p: PipelineDefinition, set: string[] = []) => {
  const reporter = collectingReporter()
  const exit = await Effect.runPromiseExit(runPipeline(p, { root: ws.root, set, reporter }))
  const ran = reporter.events.filter((e): e is Extract<RunEvent, { type: "stage-start" }> => e.type === "stage-start")
  return { exit, events: reporter.events, ran: ran.map((e) => e.stage).sort(), reasons: Object.fromEntries(ran.map((e) => [e.stage, e.reasons])) }
}

const seed = () => {
  ws.write("data/a.txt", "hello\n")
  ws.write("data/b.txt", "world\n")
  ws.write("extra.txt", "x")
}

describe("runner caching", () => {
  it("first run executes all, a rerun none, a param change exactly the stage and its downstream", async () => {
    seed()
    const p = buildPipeline()
    expect((await run(p)).ran).toEqual(["count", "join", "lines", "read", "upper"])
    expect((await run(p)).ran).toEqual([])
    const r = await run(p, ["upper.mode=same"])
    expect(r.ran).toEqual(["count", "join", "upper"])
    expect(r.reasons["upper"]).toEqual(["params changed: mode upper -> same"])
    expect(r.reasons["count"]).toEqual(["upstream upper produced new outputs"])
  })

  it("touching an input without changing it reruns nothing; changing its content reruns its readers", async () => {
    seed()
    const p = buildPipeline()
    await run(p)
    const future = new Date(Date.now() + 5000)
    utimesSync(ws.path("data/a.txt"), future, future)
    utimesSync(ws.path("extra.txt"), future, future)
    expect((await run(p)).ran).toEqual([])
    ws.write("data/a.txt", "hello again\n")
    ws.write("data/c.txt", "new\n")
    const r = await run(p)
    expect(r.ran).toEqual(["count", "join", "lines", "read", "upper"])
    expect(r.reasons["read"]).toEqual(["input changed: 2 files under data (1 changed, 1 added: a.txt, c.txt)"])
    ws.write("extra.txt", "yy")
    const r2 = await run(p)
    expect(r2.ran).toEqual(["join", "lines"])
    expect(r2.reasons["lines"]).toEqual(["input changed: extra.txt"])
  })

  it("editing a workspace module a stage imports reruns the stages that import it; comments and formatting do not", async () => {
    seed()
    const p = buildPipeline()
    await run(p)
    // a comment, a type annotation and reformatting compile to the same code: everything stays cached
    ws.write("stages/count.ts", `// counts the letters\nimport {shout} from './shared.ts'\n\n/* no behaviour here */\n`)
    ws.write("stages/shared.ts", "/** Upper case. */\nexport const shout = (s: string): string =>\n  s.toUpperCase()  // the only transform\n")
    expect((await run(p)).ran).toEqual([])
    ws.write("stages/count.ts", `import { shout } from "./shared.ts"\nexport const changed = 1\n`)
    const r = await run(p)
    expect(r.ran).toEqual(["count"])
    expect(r.reasons["count"]).toEqual(["code changed: stages/count.ts"])
    ws.write("stages/shared.ts", "export const shout = (s: string) => s.toUpperCase() + ''\n")
    expect((await run(p)).ran).toEqual(["count", "lines", "read", "upper", "join"].sort())
  })

  it("early cutoff: a rerun stage with byte-identical outputs keeps its downstream cached", async () => {
    seed()
    const p = buildPipeline()
    await run(p)
    const r = await run(p, ["upper.trim=true"])
    expect(r.ran).toEqual(["upper"])
  })

  it("a failed stage fails its downstream by name while independent branches finish", async () => {
    seed()
    const r = await run(buildPipeline({ upperFails: true }))
    expect(Exit.isFailure(r.exit)).toBe(true)
    const msg = Exit.isFailure(r.exit) ? String((r.exit.cause as { error?: Error }).error?.message) : ""
    expect(msg).toContain("upper: stage upper failed: boom in upper")
    expect(msg).toContain("count: upstream upper failed")
    expect(r.events).toContainEqual({ type: "stage-skipped", stage: "join", upstream: "count" })
    expect(r.events.some((e) => e.type === "stage-done" && e.stage === "lines")).toBe(true)
  })
})

describe("store integrity", () => {
  it("detects a bit flipped in a stored object and recomputes the entry", async () => {
    seed()
    const p = buildPipeline()
    await run(p)
    const store = openLocalStore(ws.path(".ganflow"))
    const objects = readdirSync(ws.path(".ganflow/objects"), { recursive: true, withFileTypes: true }).filter((d) => d.isFile())
    const upperObj = objects.map((d) => join(d.parentPath, d.name)).find((f) => readFileSync(f, "utf8") === "HELLO\nWORLD\n")!
    const bytes = readFileSync(upperObj)
    bytes[0] = bytes[0]! ^ 0x01
    writeFileSync(upperObj, bytes)
    const r = await run(p)
    expect(r.ran).toContain("upper")
    expect(r.reasons["upper"]![0]).toMatch(/^cache entry corrupt, recomputing: object for upper.txt is corrupt/)
    expect(readFileSync(upperObj, "utf8")).toBe("HELLO\nWORLD\n")
    expect(store.root).toBe(ws.path(".ganflow"))
    expect((await run(p)).ran).toEqual([])
  })

  it("invalid pipelines fail before anything is written, naming the problem", async () => {
    seed()
    const bad = buildPipeline()
    const check = async (p: PipelineDefinition, set: string[], expected: string) => {
      const exit = await Effect.runPromiseExit(runPipeline(p, { root: ws.root, set }))
      expect(Exit.isFailure(exit)).toBe(true)
      const err = Exit.isFailure(exit) ? (exit.cause as { error?: Error }).error : undefined
      expect(err?.message, err?.message).toContain(expected)
      expect(existsSync(ws.path(".ganflow"))).toBe(false)
    }
    await check(bad, ["upper.mode=loud"], `upper.params.mode: must be "same" or "upper" (was "loud")`)
    await check(bad, ["nope.x=1"], "--set nope.x=1: no stage named nope")
    const [read, upper, count] = bad.stages
    // a handle exists before anything can bind to it, so a cycle cannot be written; a handle from elsewhere is named
    await check(pipeline({ name: "c", stages: [read!, upper!.definition.as("upper", { inputs: { text: count as never } }), count!] }), [], 'stage count: input text reads from another handle than the pipeline\'s stage "upper"')
    await check(pipeline({ name: "d", stages: [read!, read!] }), [], "duplicate stage name: read")
    await check(pipeline({ name: "m", stages: [upper!] }), [], 'stage upper: input text reads from stage "read", which is not among the pipeline\'s stages')
    await check(pipeline({ name: "f", stages: [read!.definition.as("read", { inputs: { src: folder("missing-dir") } })] }), [], "stage read: input src: folder missing-dir does not exist")
  })
})

describe("interruption", () => {
  it("interrupting a running stage removes its temporary outputs and keeps finished stages", async () => {
    seed()
    let markStarted = () => {}
    const started = { promise: new Promise<void>((resolve) => (markStarted = resolve)), resolve: () => markStarted() }
    const slow = defineStage({
      name: "slow",
      module: ws.write("stages/slow.ts", "export {}\n"),
      params: type({}),
      inputs: { text: upstream() },
      run: ({ outDir }) =>
        Effect.gen(function* () {
          writeFileSync(join(outDir, "partial.bin"), "half")
          started.resolve()
          yield* Effect.sleep("1 minute")
          return null
        }),
    })
    const base = buildPipeline()
    const p = pipeline({ name: "i", stages: [base.stages[0]!, slow.as("slow", { inputs: { text: base.stages[0]! } })] })
    const fiber = Effect.runFork(runPipeline(p, { root: ws.root }))
    await started.promise
    expect(readdirSync(ws.path(".ganflow/tmp")).length).toBeGreaterThan(0)
    const exit = await Effect.runPromise(Fiber.interrupt(fiber))
    expect(Exit.isInterrupted(exit)).toBe(true)
    expect(readdirSync(ws.path(".ganflow/tmp"))).toEqual([])
    expect(readdirSync(ws.path(".ganflow/locks"))).toEqual([])
    const runs = readdirSync(ws.path(".ganflow/runs"))
    const record = JSON.parse(readFileSync(ws.path(`.ganflow/runs/${runs[0]}`), "utf8"))
    expect(record.status).toBe("interrupted")
    expect(record.stages.map((s: { status: string }) => s.status)).toEqual(["ran", "interrupted"])
    const again = await Effect.runPromise(Effect.either(runPipeline(pipeline({ name: "i", stages: [base.stages[0]!] }), { root: ws.root, reporter: collectingReporter() })))
    expect(Either.isRight(again) && again.right.stages[0]!.status).toBe("cached")
  })
})

describe("checkpoints and gc", () => {
  it("keeps checkpoints keyed without the step budget, so raising it resumes", async () => {
    seed()
    const trainer = defineStage({
      name: "trainer",
      module: ws.write("stages/trainer.ts", "export {}\n"),
      params: type({ steps: "number.integer = 4", lr: "number = 0.1" }),
      resumeOmits: ["steps"],
      inputs: {},
      run: ({ params, outDir }) =>
        Effect.gen(function* () {
          const checkpoints = yield* StageCheckpoints
          const { log } = yield* StageEvents
          const last = checkpoints.latest()
          let w = last === undefined ? 0 : Number(readFileSync(join(last.dir, "w.txt"), "utf8"))
          log(`resume from ${last?.step ?? 0}`)
          for (let step = (last?.step ?? 0) + 1; step <= params.steps; step++) {
            w += params.lr
            const dir = checkpoints.scratch()
            writeFileSync(join(dir, "w.txt"), String(w))
            checkpoints.save(step, dir, { step })
          }
          writeFileSync(join(outDir, "w.txt"), String(w))
          return { steps: params.steps, checkpoints: checkpoints.list().map((c) => c.step) }
        }),
    })
    const p = pipeline({ name: "ck", stages: [trainer.as("train")] })
    const logs = async (set: string[]) => {
      const r = collectingReporter()
      await Effect.runPromise(runPipeline(p, { root: ws.root, set, reporter: r }))
      return r.events.flatMap((e) => (e.type === "stage-log" ? [e.line] : []))
    }
    expect(await logs([])).toEqual(["resume from 0"])
    expect(await logs(["train.steps=7"])).toEqual(["resume from 4"])
    expect(await logs(["train.lr=0.2"])).toEqual(["resume from 0"])
    const store = openLocalStore(ws.path(".ganflow"))
    const before = readdirSync(ws.path(".ganflow/manifests")).length
    expect(collectGarbage(store, { keepCheckpoints: "all" }).removedObjects).toBe(0)
    const r = collectGarbage(store, { keepLatestOnly: true, keepCheckpoints: "all" })
    expect(r.removedManifests).toBe(before - 1)
    expect(r.removedObjects).toBeGreaterThan(0)
    expect(await logs(["train.lr=0.2"])).toEqual([])
  })
})
