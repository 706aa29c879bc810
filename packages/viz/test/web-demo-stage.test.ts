/**
 * The `web-demo` stage through the core runner on a temporary workspace: synthetic digits -> a tiny train-gan ->
 * web-demo. The page's behaviour in a browser is tested in web-demo.test.ts; here: the outputs, the value the
 * stage returns, caching, what a params change reruns, and a typed failure.
 */
import { layerCurrentTensorBackend } from "@ganflow/backend"
import "@tensorflow/tfjs-backend-cpu"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fingerprintCode, loadWorkspace, pipeline, runPipeline, StatCache, type RunSummary } from "@ganflow/core"
import { repositoryRoot } from "@ganflow/data"
import { digitSource } from "@ganflow/data/stages"
import { trainGan } from "@ganflow/trainers/stages"
import * as tf from "@tensorflow/tfjs-core"
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { webDemo } from "../src/stages/index.ts"

/** A temporary workspace inside the repository (gitignored .test-work), removed after the tests. */
const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const root = mkdtempSync(join(workRoot, "web-demo-stage-"))
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "web-demo-stage-test", private: true, type: "module" }))
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const demoPipeline = (demoParams: Record<string, unknown>) => {
  const digits = digitSource.as("digits", { params: { count: 32, seed: 1 } })
  const gan = trainGan.as("gan", { params: { model: { architecture: "vanilla", options: { hidden: 16 } }, steps: 2, batchSize: 16, seed: 3 }, inputs: { dataset: digits } })
  return pipeline({ name: "web-demo-test", stages: [digits, gan, webDemo.as("demo", { params: demoParams, inputs: { training: gan } })] })
}

const run = (demoParams: Record<string, unknown>) => Effect.runPromiseExit(runPipeline(demoPipeline(demoParams), { services: layerCurrentTensorBackend, root, jobs: 1 }))
const succeeded = async (demoParams: Record<string, unknown>): Promise<RunSummary> => {
  const exit = await run(demoParams)
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}
const statuses = (s: RunSummary) => Object.fromEntries(s.stages.map((o) => [o.name, o.status]))

describe("web-demo stage through the core runner", () => {
  it("writes the page from the trained generator, is cached on rerun, and a title change reruns only itself", async () => {
    const first = await succeeded({ title: "Digits GAN", sampleCount: 8 })
    expect(statuses(first)).toEqual({ digits: "ran", gan: "ran", demo: "ran" })
    const gan = first.stages.find((o) => o.name === "gan")!
    const demo = first.stages.find((o) => o.name === "demo")!
    const html = readFileSync(join(demo.dir!, "index.html"), "utf8")
    expect(html).toContain("<title>Digits GAN</title>")
    const config = JSON.parse(/id="ganflow-demo-config">(.*?)<\/script>/s.exec(html)![1]!)
    expect(config).toMatchObject({ latentDim: 100, classCount: null, outputShape: [28, 28, 1], outputRange: "tanh", sampleCount: 8, sliderCount: 8, seed: 0 })
    expect(readFileSync(join(demo.dir!, "model", "weights.bin")).equals(readFileSync(join(gan.dir!, "generator", "weights.bin")))).toBe(true)
    expect(readFileSync(join(demo.dir!, "ganflow-demo.js"), "utf8")).toContain("ganflow-demo-config")
    expect(readFileSync(join(demo.dir!, "model", "model.js"), "utf8")).toMatch(/^window\.ganflowGenerator = \{"modelTopology":/)

    const second = await succeeded({ title: "Digits GAN", sampleCount: 8 })
    expect(statuses(second)).toEqual({ digits: "cached", gan: "cached", demo: "cached" })

    const third = await succeeded({ title: "Digits GAN, renamed", sampleCount: 8 })
    expect(statuses(third)).toEqual({ digits: "cached", gan: "cached", demo: "ran" })
    expect(readFileSync(join(third.stages.find((o) => o.name === "demo")!.dir!, "index.html"), "utf8")).toContain("<title>Digits GAN, renamed</title>")
  }, 60_000)

  it("has the page's browser code and the bundled packages in its cache key (editing the page reruns the stage)", () => {
    const fingerprint = fingerprintCode(webDemo.module, loadWorkspace(repositoryRoot()), StatCache.load(undefined))
    expect(Object.keys(fingerprint.files)).toEqual(
      expect.arrayContaining([
        "packages/viz/src/web-demo/browser/demo-page.ts",
        "packages/viz/src/web-demo/browser/display-images.ts",
        "packages/viz/src/web-demo/browser/latent-space.ts",
        "packages/models/src/layers/spectral-normalization.ts",
      ]),
    )
    expect(Object.keys(fingerprint.packages)).toEqual(expect.arrayContaining(["@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "esbuild"]))
  })

  it("survives the CLI's bundler, which rewrites every `import.meta.url` text to the source file's URL", () => {
    // a literal "import.meta.url" string (e.g. an esbuild define key) would become invalid code in `ganflow run`
    const sources = readdirSync(join(import.meta.dirname, "..", "src", "web-demo"), { recursive: true }).map(String).filter((f) => f.endsWith(".ts"))
    expect(sources.length).toBeGreaterThan(5)
    for (const f of sources) expect(readFileSync(join(import.meta.dirname, "..", "src", "web-demo", f), "utf8")).not.toMatch(/["'`]import\.meta\.url["'`]/)
  })

  it("fails with a message naming the option when class names are given for an unconditional generator", async () => {
    const exit = await run({ classNames: ["zero", "one"] })
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("web demo: option labels: the generator is not conditional")
  }, 60_000)
})
