/**
 * The executor seam: the runner hands only the stages that must run to the StageExecutor of the context, with
 * their key and reasons; an executor that runs a stage elsewhere hands back the entry committed under the key,
 * and the run record names where it ran. Cached stages never reach the executor.
 */
import { afterEach, beforeEach, expect, it } from "vitest"
import { Effect, Exit } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, file, fileInput, parseAssignment, pipeline, runPipeline, StageExecutor, upstream, type ParamOverride, type RunOptions } from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
})
afterEach(() => ws.cleanup())

const twoStages = () => {
  const module = ws.write("stages/two.ts", "export const two = 2\n")
  const read = defineStage({
    name: "read",
    module,
    params: type({ suffix: "string = ''" }),
    inputs: { src: fileInput() },
    run: ({ inputs, outDir, params }) => Effect.sync(() => writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.src.path, "utf8") + params.suffix)),
  })
  const shout = defineStage({
    name: "shout",
    module,
    params: type({}),
    inputs: { text: upstream() },
    run: ({ inputs, outDir }) => Effect.sync(() => writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.text.path("out.txt"), "utf8").toUpperCase())),
  })
  ws.write("in.txt", "hello\n")
  const a = read.as("a", { inputs: { src: file("in.txt") } })
  const b = shout.as("b", { inputs: { text: a } })
  return pipeline({ name: "two", stages: [a, b] })
}

/** An executor that "runs elsewhere": it runs the task in this process (as a node would, with the same runner) and reports it ran elsewhere. */
const recordingExecutor = (seen: Array<{ stage: string; key: string; reasons: ReadonlyArray<string> }>) =>
  StageExecutor.of({
    name: "recording",
    execute: (task) =>
      Effect.gen(function* () {
        seen.push({ stage: task.stage.name, key: task.key, reasons: task.reasons })
        yield* task.started({ name: "recording", jobIds: [`job-${seen.length}`] })
        yield* task.log(`running ${task.stage.name}`)
        yield* task.inProcess
        const entry = yield* task.committed
        return { ...entry, ranElsewhere: true }
      }),
  })

const run = (definition: ReturnType<typeof twoStages>, executor: StageExecutor["Type"], overrides: ReadonlyArray<ParamOverride> = []) =>
  Effect.runPromise(runPipeline(definition, { root: ws.root, overrides } satisfies RunOptions).pipe(Effect.provideService(StageExecutor, executor)))

it("hands only the stages that must run to the executor, and records where they ran", async () => {
  const definition = twoStages()
  const seen: Array<{ stage: string; key: string; reasons: ReadonlyArray<string> }> = []
  const first = await run(definition, recordingExecutor(seen))
  expect(seen.map((t) => t.stage)).toEqual(["a", "b"])
  expect(first.stages.map((o) => [o.name, o.status, o.executor])).toEqual([
    ["a", "ran", { name: "recording", jobIds: ["job-1"] }],
    ["b", "ran", { name: "recording", jobIds: ["job-2"] }],
  ])
  expect(first.stages.map((o) => o.key)).toEqual(seen.map((t) => t.key))
  expect(readFileSync(join(first.stages[1]!.dir!, "out.txt"), "utf8")).toBe("HELLO\n")

  const again = await run(definition, recordingExecutor(seen))
  expect(seen).toHaveLength(2) // all hits: nothing reached the executor
  expect(again.stages.map((o) => o.status)).toEqual(["cached", "cached"])

  const changed = await run(definition, recordingExecutor(seen), [parseAssignment("a.suffix=!") as ParamOverride])
  expect(seen.slice(2).map((t) => [t.stage, t.reasons[0]])).toEqual([
    ["a", "params changed: suffix  -> !"],
    ["b", "upstream a produced new outputs"],
  ])
  expect(changed.status).toBe("ok")
})

it("fails the stage, naming it, when an executor reports success but nothing was committed under the key", async () => {
  const definition = twoStages()
  const liar = StageExecutor.of({
    name: "liar",
    execute: (task) => Effect.map(task.committed, (entry) => ({ ...entry, ranElsewhere: true })),
  })
  const exit = await Effect.runPromiseExit(runPipeline(definition, { root: ws.root }).pipe(Effect.provideService(StageExecutor, liar)))
  expect(Exit.isFailure(exit)).toBe(true)
  expect(String(Exit.isFailure(exit) && exit.cause)).toMatch(/a: stage a failed: it ran on liar but nothing was committed under its key [0-9a-f]{64}/)
})

it("runs a stage that declares more GPUs than the run has permits (it takes them all; it used to wait forever)", async () => {
  const module = ws.write("stages/gpus.ts", "export const gpus = 2\n")
  const wide = defineStage({
    name: "wide",
    module,
    params: type({}),
    resources: { gpu: 2 },
    run: ({ outDir }) => Effect.sync(() => writeFileSync(join(outDir, "out.txt"), "ok")),
  })
  const summary = await Effect.runPromise(runPipeline(pipeline({ name: "wide", stages: [wide.as("wide")] }), { root: ws.root, gpus: 1, jobs: 1 }))
  expect(summary.stages.map((o) => o.status)).toEqual(["ran"])
})
