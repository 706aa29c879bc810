/**
 * WebGPU through Dawn on SwiftShader, the software Vulkan driver Debian's chromium ships: selection (auto never
 * takes a software adapter; an explicit `webgpu` takes it only with GANFLOW_WEBGPU_SOFTWARE=1, and the record
 * names it), and every kernel (with its gradients) our models use, on their shapes, against the cpu backend.
 * Without SwiftShader the tests skip with one line — except under CI, where they are required.
 */
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BackendUnavailable, findGpuAdapter, initBackend, selectBackend } from "../src/index.ts"
import { cpuCandidate } from "../src/probes/cpu-candidate.ts"
import { findSwiftShaderManifest, useSwiftShaderDriver } from "../src/probes/vulkan-drivers.ts"
import { webGpuCandidate } from "../src/probes/web-gpu-candidate.ts"

const manifest = findSwiftShaderManifest()
const required = process.env["CI"] !== undefined && process.env["CI"] !== ""
if (manifest === undefined && !required) process.stderr.write("[webgpu] skipping: no SwiftShader Vulkan driver (install Debian's chromium)\n")
const skip = manifest === undefined && !required

describe.skipIf(skip)("webgpu on SwiftShader", () => {
  beforeAll(() => {
    expect(manifest, "SwiftShader's vk_swiftshader_icd.json (Debian chromium-common) is required under CI").toBeDefined()
    useSwiftShaderDriver()
  })
  afterAll(() => {
    delete process.env["GANFLOW_WEBGPU_SOFTWARE"]
  })

  it("auto never takes the software adapter, even with the opt-in set", async () => {
    process.env["GANFLOW_WEBGPU_SOFTWARE"] = "1"
    const info = await selectBackend([webGpuCandidate, cpuCandidate], "auto", { threads: undefined })
    expect(info.name).toBe("cpu")
    expect(info.notes[0]).toMatch(/^webgpu: only a software adapter was found \(google swiftshader.*software\).*GANFLOW_WEBGPU_SOFTWARE=1/)
  })

  it("an explicit webgpu without the opt-in fails naming the adapter and the opt-in", async () => {
    delete process.env["GANFLOW_WEBGPU_SOFTWARE"]
    const failure = await initBackend({ backend: "webgpu" }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(BackendUnavailable)
    expect((failure as BackendUnavailable).message).toMatch(/backend webgpu is not available: only a software adapter was found \(google swiftshader/)
  })

  it("with GANFLOW_WEBGPU_SOFTWARE=1 an explicit webgpu runs on SwiftShader and the record names the adapter", async () => {
    process.env["GANFLOW_WEBGPU_SOFTWARE"] = "1"
    const search = await findGpuAdapter({ allowSoftware: true })
    expect(search.found).toBe(true)
    const info = await initBackend({ backend: "webgpu" })
    expect(info).toMatchObject({ name: "webgpu", tfjsBackend: "webgpu", adapter: { vendor: "google", architecture: "swiftshader", software: true } })
    expect(info.adapter!.description).toMatch(/SwiftShader/)
    expect(info.device).toMatch(/google swiftshader .*software/)
    expect(info.versions["@tensorflow/tfjs-backend-webgpu"]).toBe("4.22.0")
    const product = tf.tidy(() => tf.matMul(tf.ones([64, 32]), tf.ones([32, 16])))
    expect(Array.from((await product.data()).slice(0, 3))).toEqual([32, 32, 32])
    product.dispose()
  })

  /** Runs `f` on a backend and reads every output asynchronously. */
  const on = async (backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> => {
    await tf.setBackend(backend)
    const outs = tf.tidy(f)
    const values = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>))
    tf.dispose(outs)
    return values
  }

  /** Seeded inputs made on the cpu backend, copied to the backend in use by `f` (same numbers on both). */
  const inputs = (shapes: ReadonlyArray<ReadonlyArray<number>>, seed: number): Float32Array[] =>
    shapes.map((s, i) => tf.tidy(() => tf.randomNormal([...s], 0, 1, "float32", seed + i).dataSync() as Float32Array))

  /** Max |a-b| / max(1, |b|) over all elements: the relative error the issue allows up to 1e-4. */
  const relativeError = (a: Float32Array, b: Float32Array): number => {
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)))
    return worst
  }

  /** A kernel and its gradients w.r.t. every input, on webgpu vs cpu. */
  const compare = async (name: string, shapes: ReadonlyArray<ReadonlyArray<number>>, op: (...xs: tf.Tensor[]) => tf.Tensor) => {
    await tf.setBackend("cpu")
    const data = inputs(shapes, 11)
    const run = () => {
      const xs = data.map((d, i) => tf.tensor(d, [...shapes[i]!]))
      const y = op(...xs)
      const dy = tf.randomNormal(y.shape, 0, 1, "float32", 5)
      const grads = tf.grads((...args: tf.Tensor[]) => op(...args))(xs, dy)
      return [y, ...grads]
    }
    const expected = await on("cpu", run)
    const actual = await on("webgpu", run)
    const errors = actual.map((a, i) => relativeError(a, expected[i]!))
    for (const [i, e] of errors.entries()) expect(e, `${name} ${i === 0 ? "output" : `gradient ${i}`}`).toBeLessThanOrEqual(1e-4)
  }

  // the shapes of our models at CI's sizes: DCGAN-32/64 (ngf=ndf=8), the conditional MLP, the 3D-GAN at width 2
  const cases: ReadonlyArray<[string, ReadonlyArray<ReadonlyArray<number>>, (...xs: tf.Tensor[]) => tf.Tensor]> = [
    ["matMul (dense, MLP generator)", [[8, 16], [16, 32]], (a, b) => tf.matMul(a!, b!)],
    ["conv2d stride 2 same (DCGAN D)", [[4, 16, 16, 3], [4, 4, 3, 8]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same")],
    ["conv2dTranspose stride 2 same (DCGAN G)", [[4, 8, 8, 16], [4, 4, 8, 16]], (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [4, 16, 16, 8], 2, "same")],
    ["conv2d 4x4 valid (DCGAN D head)", [[4, 4, 4, 16], [4, 4, 16, 1]], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid")],
    ["conv3d stride 2 same (3D-GAN D)", [[2, 8, 8, 8, 1], [4, 4, 4, 1, 2]], (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, "same")],
    ["conv3dTranspose stride 2 same (3D-GAN G)", [[2, 4, 4, 4, 4], [4, 4, 4, 2, 4]], (x, w) => tf.conv3dTranspose(x as tf.Tensor5D, w as tf.Tensor5D, [2, 8, 8, 8, 2], 2, "same")],
    ["batch-norm moments + leakyRelu + tanh/sigmoid", [[4, 8, 8, 8]], (x) => {
      const { mean, variance } = tf.moments(x!, [0, 1, 2])
      return tf.add(tf.tanh(tf.leakyRelu(tf.div(tf.sub(x!, mean), tf.sqrt(tf.add(variance, 1e-5))), 0.2)), tf.sigmoid(x!))
    }],
    ["where on rank-5 volumes (3D-GAN leakyRelu gradient, widened Select)", [[2, 4, 4, 4, 2], [2, 4, 4, 4, 2]], (a, b) => tf.where(tf.greater(tf.randomNormal([2, 4, 4, 4, 2], 0, 1, "float32", 3), 0), a!, tf.mul(b!, 0.2))],
    ["where with a row condition on rank 5", [[2, 4, 4, 4, 2], [2, 4, 4, 4, 2]], (a, b) => tf.where(tf.tensor1d([true, false], "bool"), a!, b!)],
    ["leakyRelu on rank 5 (3D-GAN D)", [[2, 4, 4, 4, 2]], (x) => tf.leakyRelu(x!, 0.2)],
    ["tile + softplus (BCE, minibatch features)", [[4, 6]], (x) => tf.sum(tf.softplus(tf.tile(x!, [2, 3])), 1)],
  ]
  for (const [name, shapes, op] of cases) it(`${name}: output and gradients within 1e-4 of cpu`, () => compare(name, shapes, op))

  it("leaks no tensors across a backend round trip", async () => {
    await tf.setBackend("webgpu")
    const before = tf.memory().numTensors
    await compare("matMul", [[4, 4], [4, 4]], (a, b) => tf.matMul(a!, b!))
    await tf.setBackend("webgpu")
    expect(tf.memory().numTensors).toBe(before)
  })
})
