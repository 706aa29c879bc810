import { spawn } from "node:child_process"
import { layerCurrentTensorBackend } from "@ganflow/backend"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { repositoryRoot } from "@ganflow/data"
import { type RunSummary, runPipeline } from "@ganflow/core"
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readGeneratorDescription, readGeneratorSnapshots, readStepLog } from "../src/index.ts"
import { trainingPipeline } from "./fixtures/train-pipeline.ts"

/** Temporary workspaces inside the repository (gitignored .test-work), removed after the tests. */
const workRoot = join(repositoryRoot(), ".test-work")
const roots: string[] = []
const makeRoot = () => {
  mkdirSync(workRoot, { recursive: true })
  const root = mkdtempSync(join(workRoot, "train-stage-"))
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "train-stage-test", private: true, type: "module" }))
  roots.push(root)
  return root
}
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})

const run = async (steps: number, root: string): Promise<RunSummary> => {
  const exit = await Effect.runPromiseExit(runPipeline(trainingPipeline(steps), { services: layerCurrentTensorBackend, root, jobs: 1 }))
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}
const gan = (s: RunSummary) => s.stages.find((o) => o.name === "gan")!

/** Steps of the checkpoints committed to a store (`checkpoints/<key>/step-N.json`). */
const checkpointSteps = (store: string): number[] => {
  const dir = join(store, "checkpoints")
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true })
    .map(String)
    .flatMap((f) => /step-(\d+)\.json$/.exec(f)?.slice(1) ?? [])
    .map(Number)
}

describe("train-gan stage through the core runner", () => {
  it("trains and exports a loadable generator, is cached on rerun, and continues from its last checkpoint when steps rise", async () => {
    const root = makeRoot()
    const first = await run(4, root)
    expect(gan(first).status).toBe("ran")
    expect(gan(first).env["backend"]).toMatchObject({ tfjsBackend: "cpu", versions: { "@tensorflow/tfjs-core": "4.22.0" } })
    const dir = gan(first).dir!
    const json = JSON.parse(readFileSync(join(dir, "generator", "model.json"), "utf8"))
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(join(dir, "generator", "weights.bin"))).buffer }),
    )
    expect(model.outputs[0]!.shape).toEqual([null, 28, 28, 1])
    model.dispose()
    expect(readStepLog(join(dir, "steps.jsonl")).map((r) => r.step)).toEqual([1, 2, 3, 4])

    expect(gan(await run(4, root)).status).toBe("cached")

    const more = await run(6, root)
    expect(gan(more).status).toBe("ran")
    const log = readStepLog(join(gan(more).dir!, "steps.jsonl")).map((r) => r.step)
    expect(log).toEqual([5, 6]) // continued from the step-4 checkpoint, not from scratch
    // the generator of every checkpoint, the first run's included, exported for metric and render stages
    expect(readGeneratorSnapshots(gan(more).dir!)).toEqual([2, 4, 6].map((step) => ({ id: `step-00000${step}`, step })))
    const weightsOf = (folder: string) => new Uint8Array(readFileSync(join(gan(more).dir!, folder, "weights.bin")))
    expect(weightsOf("checkpoints/step-000006")).toEqual(weightsOf("generator")) // the last snapshot is the final generator
    expect(weightsOf("checkpoints/step-000002")).not.toEqual(weightsOf("checkpoints/step-000004"))
    // the trainer's description of the generator beside every exported model, the same as in the stage's value
    const description = readGeneratorDescription(join(gan(more).dir!, "generator"))
    expect(description).toEqual({ architecture: "vanilla", latentDim: 100, numClasses: null, outputRange: "tanh", sampleShape: [28, 28, 1] })
    for (const step of [2, 4, 6]) expect(readGeneratorDescription(join(gan(more).dir!, `checkpoints/step-00000${step}`))).toEqual(description)
  }, 60_000)

  it("kill -9 mid-training, rerun: resumes from the last checkpoint and finishes with a valid model", async () => {
    const root = makeRoot()
    const steps = 120
    // node itself with tsx's loader (the tsx CLI would run the script in a grandchild that SIGKILL would miss)
    const script = join(import.meta.dirname, "fixtures", "train-pipeline.ts")
    const child = spawn(process.execPath, ["--import", "tsx", script, root, String(steps)], { stdio: "ignore", cwd: repositoryRoot() })
    const store = join(root, ".ganflow")
    // wait for a checkpoint at step >= 4 to reach the store, then kill -9
    const deadline = Date.now() + 45_000
    while (Date.now() < deadline && checkpointSteps(store).length < 2) await new Promise((r) => setTimeout(r, 50))
    child.kill("SIGKILL")
    await new Promise((r) => child.once("exit", r))
    expect(checkpointSteps(store).length).toBeGreaterThanOrEqual(2)
    const last = Math.max(...checkpointSteps(store))
    expect(last).toBeLessThan(steps) // killed mid-run

    const rerun = await run(steps, root)
    expect(gan(rerun).status).toBe("ran")
    const log = readStepLog(join(gan(rerun).dir!, "steps.jsonl")).map((r) => r.step)
    expect(log[0]).toBeGreaterThan(last) // resumed after a checkpoint at least as new as the last one seen
    expect(log.at(-1)).toBe(steps)
    const json = JSON.parse(readFileSync(join(gan(rerun).dir!, "generator", "model.json"), "utf8"))
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(readFileSync(join(gan(rerun).dir!, "generator", "weights.bin"))).buffer }),
    )
    const y = tf.tidy(() => (model.predict(tf.ones([2, 100])) as tf.Tensor).dataSync())
    expect(Array.from(y).every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true)
    model.dispose()
  }, 90_000)
})
