import * as tf from "@tensorflow/tfjs-core"
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu"
import { describe, expect, it } from "vitest"
import {
  BackendNotInitialised,
  BackendOptionsInvalid,
  BackendUnavailable,
  describeBackend,
  initBackend,
  selectBackend,
  type BackendCandidate,
  type BackendName,
} from "../src/index.ts"

const calls: Array<string> = []

const fake = (name: BackendName, reason?: string): BackendCandidate => ({
  name,
  activate: async (settings) => {
    calls.push(name)
    if (reason !== undefined) return { available: false, reason }
    await tf.setBackend("cpu")
    return {
      available: true,
      info: { name, tfjsBackend: "cpu", versions: { fake: "1" }, threads: settings.threads ?? 1, simd: false },
    }
  },
})

const throwing = (name: BackendName): BackendCandidate => ({
  name,
  activate: async () => {
    throw new Error("addon crashed\nwith a long stack")
  },
})

describe("selectBackend", () => {
  it("auto takes the first candidate that runs and notes why each earlier one did not", async () => {
    calls.length = 0
    const info = await selectBackend(
      [fake("tfjs-node-gpu", "not installed"), fake("webgpu", "no adapter"), fake("wasm"), fake("cpu")],
      "auto",
      { threads: 2 },
    )
    expect(info.name).toBe("wasm")
    expect(info.threads).toBe(2)
    expect(info.notes).toEqual(["tfjs-node-gpu: not installed", "webgpu: no adapter"])
    expect(calls).toEqual(["tfjs-node-gpu", "webgpu", "wasm"])
  })

  it("auto turns a candidate that throws into a note, never a crash", async () => {
    const info = await selectBackend([throwing("native"), fake("cpu")], "auto", { threads: undefined })
    expect(info.name).toBe("cpu")
    expect(info.notes).toEqual(["native: failed to start: addon crashed"])
  })

  it("an explicit choice runs only that candidate", async () => {
    calls.length = 0
    const info = await selectBackend([fake("tfjs-node", "missing"), fake("cpu")], "cpu", { threads: undefined })
    expect(info).toMatchObject({ name: "cpu", notes: [] })
    expect(calls).toEqual(["cpu"])
  })

  it("an explicit choice that cannot run fails with a typed error carrying the reason", async () => {
    const failure = await selectBackend([fake("webgpu", "Dawn found no GPU adapter"), fake("cpu")], "webgpu", {
      threads: undefined,
    }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(BackendUnavailable)
    expect((failure as BackendUnavailable).message).toBe("backend webgpu is not available: Dawn found no GPU adapter")
  })

  it("an explicit choice missing from the list fails, and auto with nothing runnable lists every reason", async () => {
    await expect(selectBackend([fake("cpu")], "native", { threads: undefined })).rejects.toBeInstanceOf(BackendUnavailable)
    const failure = (await selectBackend([fake("wasm", "a"), fake("cpu", "b")], "auto", { threads: undefined }).catch(
      (e: unknown) => e,
    )) as BackendUnavailable
    expect(failure.reason).toBe("wasm: a; cpu: b")
  })
})

describe("initBackend options and describeBackend", () => {
  it("rejects unknown backends, bad thread counts and unknown keys with BackendOptionsInvalid", async () => {
    for (const bad of [{ backend: "cuda" }, { threads: 0 }, { threads: 1.5 }, { thread: 2 }]) {
      await expect(initBackend(bad as never, [fake("cpu")])).rejects.toBeInstanceOf(BackendOptionsInvalid)
    }
  })

  it("records the chosen backend for run records", async () => {
    const info = await initBackend({ threads: 3 }, [fake("webgpu", "no adapter"), fake("cpu")])
    expect(describeBackend()).toEqual(info)
    expect(info).toMatchObject({ name: "cpu", threads: 3, notes: ["webgpu: no adapter"] })
  })

  it("describeBackend refuses to describe a backend that was switched by hand", async () => {
    await initBackend({ backend: "cpu" }, [fake("cpu")])
    tf.registerBackend("other-for-test", () => new MathBackendCPU(), -1)
    await tf.setBackend("other-for-test")
    expect(() => describeBackend()).toThrow(BackendNotInitialised)
    await tf.setBackend("cpu")
    tf.removeBackend("other-for-test")
  })
})
