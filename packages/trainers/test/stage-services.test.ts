/**
 * The train-gan stage runs against services given as layers: a test implementation of `TensorBackend` (the plain
 * CPU backend, recording that it was asked for) instead of the CLI's, and a test store implementation that counts
 * the commits it is asked to make, over a local folder.
 */
import { TensorBackend } from "@ganflow/backend"
import { layerStore, openLocalStore, runPipelineOnStore, type ObjectStoreApi } from "@ganflow/core"
import { repositoryRoot } from "@ganflow/data"
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import { Effect, Layer } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { trainingPipeline } from "./fixtures/train-pipeline.ts"

const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const root = mkdtempSync(join(workRoot, "stage-services-"))
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "stage-services-test", private: true, type: "module" }))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe("stage services", () => {
  it("train-gan computes on the TensorBackend the run provides and commits through the store service it is given", async () => {
    let backendStarts = 0
    const testBackend = Layer.succeed(TensorBackend, {
      ready: Effect.promise(async () => {
        backendStarts++
        await tf.setBackend("cpu")
        return { tfjsBackend: tf.getBackend(), versions: { "@tensorflow/tfjs-core": tf.version_core }, notes: ["test backend"] }
      }),
    })
    const local = openLocalStore(join(root, ".ganflow"))
    const committed: string[] = []
    const countingObjects: ObjectStoreApi = Object.assign(Object.create(local.objects) as ObjectStoreApi, {
      commit: (...args: Parameters<ObjectStoreApi["commit"]>) => {
        committed.push(args[2].instance)
        return local.objects.commit(...args)
      },
    })
    const summary = await Effect.runPromise(
      runPipelineOnStore(trainingPipeline(2), { root, jobs: 1, services: testBackend }).pipe(Effect.provide(layerStore({ ...local, objects: countingObjects }))),
    )
    const gan = summary.stages.find((s) => s.name === "gan")!
    expect(gan.status).toBe("ran")
    expect(gan.env["backend"]).toEqual({ tfjsBackend: "cpu", versions: { "@tensorflow/tfjs-core": tf.version_core }, notes: ["test backend"] })
    expect(backendStarts).toBe(1)
    expect(committed).toEqual(["digits", "gan"])
    // a second run is all hits: no commits and the backend is not asked for
    await Effect.runPromise(runPipelineOnStore(trainingPipeline(2), { root, jobs: 1, services: testBackend }).pipe(Effect.provide(layerStore({ ...local, objects: countingObjects }))))
    expect(committed).toEqual(["digits", "gan"])
    expect(backendStarts).toBe(1)
  })
})
