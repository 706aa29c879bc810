/**
 * The browser demo in real headless Chromium (Debian's `chromium`, driven by playwright-core; no browser is
 * downloaded): the page loads the exported generator from disk (file://) and over http, paints a non-blank grid,
 * reacts to "New samples", the latent sliders and the class selector, leaks no tensors, logs no errors, and its
 * raw outputs equal the generator's in Node within 1e-3. Without Chromium the browser tests skip with one line on
 * stderr, and fail naming Chromium where CI is set or GANFLOW_REQUIRE_BROWSER=1 (see chromium-for-tests.ts).
 */
import "@tensorflow/tfjs-backend-cpu"
import { createServer, type Server } from "node:http"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { extname, join, normalize } from "node:path"
import { pathToFileURL } from "node:url"
import { buildGan, InstanceNormalization, SpectralDense, type GanSpec } from "@ganflow/models"
import { describeGanModels, exportGenerator, GeneratorDescriptionInvalid, type GeneratorDescription } from "@ganflow/trainers"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import sharp from "sharp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  buildDemoBundle,
  checkGeneratorModel,
  readExportedModel,
  WebDemoModelInvalid,
  WebDemoOptionsInvalid,
  writeWebDemo,
  type WebDemo,
} from "../src/web-demo/index.ts"
import { chromiumHint, findChromium } from "./chromium-for-tests.ts"

const chromiumSearch = findChromium()
const skipBrowser = !chromiumSearch.found && !chromiumSearch.required
if (skipBrowser && !chromiumSearch.found) {
  process.stderr.write(`[web-demo] skipping the browser tests: ${chromiumSearch.reason}; ${chromiumHint} (CI or GANFLOW_REQUIRE_BROWSER=1 make this a failure)\n`)
}
const chromiumFlags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

const work = mkdtempSync(join(tmpdir(), "ganflow-web-demo-"))
/** Set to a folder to keep the screenshots the browser tests take (they are written under the temp folder otherwise). */
const screenshotDir = process.env["GANFLOW_WEB_DEMO_SCREENSHOTS"] || work
let context: BrowserContext
let server: Server
let httpBase = ""
let dcgan: { demo: WebDemo; generator: tfl.LayersModel }
let conditional: { demo: WebDemo; generator: tfl.LayersModel }

/** Untrained DCGAN weights give an almost uniform grey (std ~2e-4); larger kernels give visible textures. */
const withContrast = (generator: tfl.LayersModel, factor: number) =>
  generator.setWeights(generator.getWeights().map((w) => tf.tidy(() => (w.rank === 4 ? tf.mul(w, factor) : tf.clone(w)))))

/** Builds `spec`, exports its generator to `<work>/<name>/generator` and writes its demo to `<work>/<name>/demo`. */
const exportedDemo = async (name: string, spec: GanSpec, options: Partial<Parameters<typeof writeWebDemo>[0]> = {}) => {
  const models = buildGan(spec, 11)
  models.discriminator.dispose()
  withContrast(models.generator, 7)
  await exportGenerator(models.generator, join(work, name, "generator"), describeGanModels(models, spec.architecture))
  const demo = await writeWebDemo({ modelDir: join(work, name, "generator"), outDir: join(work, name, "demo"), title: name, sampleCount: 12, ...options })
  return { demo, generator: models.generator }
}

const contentTypes: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".bin": "application/octet-stream" }

beforeAll(async () => {
  await tf.setBackend("cpu")
  server = createServer((req, res) => {
    const file = normalize(join(work, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)))
    if (!file.startsWith(work) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end()
    res.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  httpBase = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
  dcgan = await exportedDemo("dcgan32", { architecture: "dcgan", options: { resolution: 32, ngf: 8 } })
  conditional = await exportedDemo(
    "cdcgan32",
    { architecture: "conditional-dcgan", options: { resolution: 32, ngf: 8, numClasses: 3 } },
    { labels: { names: ["young", "middle-aged", "old"] } },
  )
}, 90_000)

afterAll(async () => {
  dcgan?.generator.dispose()
  conditional?.generator.dispose()
  await context?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  rmSync(work, { recursive: true, force: true })
})

/** Opens a page and waits until its first grid is painted; `errors` collects console errors and uncaught ones. */
const openDemo = async (url: string): Promise<{ page: Page; errors: string[] }> => {
  const page = await context.newPage()
  const errors: string[] = []
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())))
  page.on("pageerror", (e) => void errors.push(String(e)))
  await page.goto(url)
  await page.waitForFunction(() => window.ganflowDemo !== undefined)
  await page.evaluate(() => window.ganflowDemo!.ready)
  return { page, errors }
}

/** RGB bytes of every canvas matched by `selector`, one array per canvas. */
const canvasPixels = (page: Page, selector: string): Promise<number[][]> =>
  page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const rgba = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data
      return Array.from(rgba).filter((_, i) => i % 4 !== 3)
    }),
  )

const variance = (values: ArrayLike<number>) => {
  let mean = 0
  for (let i = 0; i < values.length; i++) mean += values[i]!
  mean /= values.length
  let v = 0
  for (let i = 0; i < values.length; i++) v += (values[i]! - mean) ** 2
  return v / values.length
}
const meanAbsDiff = (a: number[], b: number[]) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length

const waitForRenders = (page: Page, count: number) => page.waitForFunction((n) => window.ganflowDemo!.renders >= n, count)

describe.skipIf(skipBrowser)("web demo in headless Chromium", () => {
  beforeAll(async () => {
    if (!chromiumSearch.found) throw new Error(`${chromiumSearch.reason}, and the browser tests are required here (${chromiumSearch.requiredBy}): ${chromiumHint}`)
    context = await chromium.launchPersistentContext(mkdtempSync(join(work, "profile-")), { executablePath: chromiumSearch.path, headless: true, args: chromiumFlags })
  }, 60_000)
  it("from file://: inline weights, non-blank grid, New samples and a slider repaint, screenshot non-blank, no leaks, no errors", async () => {
    const { page, errors } = await openDemo(`${pathToFileURL(dcgan.demo.indexHtml).href}?backend=cpu`)
    try {
      const hooks = await page.evaluate(() => ({ source: window.ganflowDemo!.source, backend: window.ganflowDemo!.backend, renders: window.ganflowDemo!.renders }))
      expect(hooks.source).toBe("model.js") // fetch is blocked on file://: the inline script was used
      expect(hooks.backend).toBe("cpu")
      const first = await canvasPixels(page, "#grid canvas")
      expect(first).toHaveLength(12)
      expect(first[0]).toHaveLength(32 * 32 * 3)
      for (const sample of first) expect(variance(sample)).toBeGreaterThan(200) // textures, not a flat colour
      expect(meanAbsDiff(first[0]!, first[1]!)).toBeGreaterThan(5) // different latents, different pictures
      // the strip starts at sample 0 and ends at sample 1
      const strip = await canvasPixels(page, "#strip canvas")
      expect(strip).toHaveLength(8)
      expect(meanAbsDiff(strip[0]!, first[0]!)).toBeLessThan(1)
      expect(meanAbsDiff(strip[7]!, first[1]!)).toBeLessThan(1)
      const tensors = await page.evaluate(() => window.ganflowDemo!.numTensors())

      await page.click("#new-samples")
      await waitForRenders(page, hooks.renders + 1)
      const second = await canvasPixels(page, "#grid canvas")
      expect(meanAbsDiff(first.flat(), second.flat())).toBeGreaterThan(10)
      await page.click("#new-samples")
      await waitForRenders(page, hooks.renders + 2)
      expect(await page.evaluate(() => window.ganflowDemo!.numTensors())).toBe(tensors)

      // select sample 3, move its z[0]: only sample 3 changes
      const before = await canvasPixels(page, "#grid canvas")
      await page.click('#grid canvas[data-index="3"]')
      expect(await page.textContent("#ganflow-demo h2")).toContain("sample 3")
      await page.locator("#z-0").fill("2.9")
      await waitForRenders(page, hooks.renders + 3)
      const after = await canvasPixels(page, "#grid canvas")
      expect(meanAbsDiff(before[3]!, after[3]!)).toBeGreaterThan(1)
      expect(variance(after[3]!)).toBeGreaterThan(200)
      expect(after.filter((_, i) => i !== 3)).toEqual(before.filter((_, i) => i !== 3))
      expect(await page.evaluate(() => window.ganflowDemo!.numTensors())).toBe(tensors)

      // sample 3 becomes the strip's end: the strip's last image is sample 3 as the grid shows it
      await page.click("#set-end")
      await waitForRenders(page, hooks.renders + 4)
      expect(await page.textContent("#ganflow-demo section:nth-of-type(3) h2")).toBe("Interpolation: sample 0 → sample 3")
      const strip3 = await canvasPixels(page, "#strip canvas")
      expect(meanAbsDiff(strip3[7]!, after[3]!)).toBeLessThan(1)
      expect(meanAbsDiff(strip3[0]!, after[0]!)).toBeLessThan(1)

      const png = await page.screenshot({ fullPage: true, path: join(screenshotDir, "web-demo-dcgan32.png") })
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
      expect(info.width).toBeGreaterThan(600)
      expect(variance(data)).toBeGreaterThan(500)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("the grid fits its panel at any width: every sample visible, nothing scrolls sideways (360 to 1600 px)", async () => {
    const { page, errors } = await openDemo(`${pathToFileURL(dcgan.demo.indexHtml).href}?backend=cpu`)
    try {
      for (const width of [360, 700, 1100, 1600]) {
        await page.setViewportSize({ width, height: 900 })
        const layout = await page.evaluate(() => {
          const grid = document.querySelector<HTMLElement>("#grid")!
          const panel = grid.closest("section")!.getBoundingClientRect()
          const cells = Array.from(grid.querySelectorAll("canvas")).map((c) => c.getBoundingClientRect())
          return {
            pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
            gridScrolls: grid.scrollWidth > grid.clientWidth,
            outside: cells.filter((r) => r.left < panel.left || r.right > panel.right + 0.5).length,
            widths: cells.map((r) => Math.round(r.width)),
            heights: cells.map((r) => Math.round(r.height)),
            columns: new Set(cells.map((r) => Math.round(r.left))).size,
          }
        })
        expect(layout, `at ${width} px`).toMatchObject({ pageScrolls: false, gridScrolls: false, outside: 0, columns: 6 })
        expect(layout.heights, `square cells at ${width} px`).toEqual(layout.widths)
        if (width >= 1100) expect(layout.widths.every((w) => w === 128), `full size at ${width} px`).toBe(true) // 32 px x 4
        await page.screenshot({ fullPage: true, path: join(screenshotDir, `web-demo-dcgan32-${width}px.png`) })
      }
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("over http: fetches model.json, and the page's outputs equal the generator's in Node within 1e-3", async () => {
    const { page, errors } = await openDemo(`${httpBase}/dcgan32/demo/index.html?backend=cpu`)
    try {
      expect(await page.evaluate(() => [window.ganflowDemo!.source, window.ganflowDemo!.backend])).toEqual(["model.json", "cpu"])
      const latents = tf.tidy(() => tf.randomNormal([3, 100], 0, 1, "float32", 5).arraySync() as number[][])
      const browser = await page.evaluate((z) => window.ganflowDemo!.generate(z), latents)
      const node = tf.tidy(() => dcgan.generator.predict(tf.tensor2d(latents)) as tf.Tensor)
      expect(browser.shape).toEqual(node.shape)
      const expected = node.dataSync()
      node.dispose()
      expect(Math.max(...browser.data.map((x, i) => Math.abs(x - expected[i]!)))).toBeLessThan(1e-3)
      expect(variance(expected)).toBeGreaterThan(0.01)
      // what the grid shows is the Node output mapped from [-1, 1] to 0..255 (same channel order)
      const shown = await page.evaluate(() => window.ganflowDemo!.sample(4))
      const [canvas] = await canvasPixels(page, '#grid canvas[data-index="4"]')
      const bytes = tf.tidy(() => {
        const out = dcgan.generator.predict(tf.tensor2d([shown.latent])) as tf.Tensor
        return tf.clipByValue(tf.round(tf.mul(tf.add(out, 1), 127.5)), 0, 255).dataSync()
      })
      expect(Math.max(...canvas!.map((v, i) => Math.abs(v - bytes[i]!)))).toBeLessThanOrEqual(1)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("conditional generator: named class selector repaints the grid with one class, outputs match Node", async () => {
    const { page, errors } = await openDemo(`${pathToFileURL(conditional.demo.indexHtml).href}?backend=cpu`)
    try {
      const options = await page.$$eval("#class-select option", (os) => os.map((o) => o.textContent))
      expect(options).toEqual(["each sample: a random class", "young", "middle-aged", "old"])
      const renders = await page.evaluate(() => window.ganflowDemo!.renders)
      const mixed = await canvasPixels(page, "#grid canvas")
      await page.selectOption("#class-select", "2")
      await waitForRenders(page, renders + 1)
      const old = await canvasPixels(page, "#grid canvas")
      for (const sample of old) expect(variance(sample)).toBeGreaterThan(200)
      await page.selectOption("#class-select", "0")
      await waitForRenders(page, renders + 2)
      const young = await canvasPixels(page, "#grid canvas")
      expect(meanAbsDiff(old.flat(), young.flat())).toBeGreaterThan(1) // same latents, another class
      expect(meanAbsDiff(mixed.flat(), young.flat())).toBeGreaterThan(1)

      const latents = tf.tidy(() => tf.randomNormal([3, 100], 0, 1, "float32", 9).arraySync() as number[][])
      const labels = [0, 1, 2]
      const browser = await page.evaluate(([z, y]) => window.ganflowDemo!.generate(z, y), [latents, labels] as const)
      const node = tf.tidy(() => conditional.generator.predict([tf.tensor2d(latents), tf.tensor2d(labels, [3, 1])]) as tf.Tensor)
      const expected = node.dataSync()
      node.dispose()
      expect(Math.max(...browser.data.map((x, i) => Math.abs(x - expected[i]!)))).toBeLessThan(1e-3)
      await page.screenshot({ fullPage: true, path: join(screenshotDir, "web-demo-conditional-dcgan32.png") })
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("loads generators built from ganflow's custom layers (spectral dense, instance norm) on the default backend (WebGL, software-rendered here), grey images", async () => {
    const z = tfl.input({ shape: [16] })
    let x = new SpectralDense({ units: 8 * 8 * 4, seed: 3 }).apply(z) as tfl.SymbolicTensor
    x = tfl.layers.reshape({ targetShape: [8, 8, 4] }).apply(x) as tfl.SymbolicTensor
    x = new InstanceNormalization({}).apply(x) as tfl.SymbolicTensor
    x = tfl.layers.conv2d({ filters: 1, kernelSize: 3, padding: "same", activation: "tanh", kernelInitializer: tfl.initializers.randomNormal({ seed: 4 }) }).apply(x) as tfl.SymbolicTensor
    const generator = tfl.model({ inputs: z, outputs: x })
    try {
      const description: GeneratorDescription = { architecture: "custom", latentDim: 16, numClasses: null, outputRange: "tanh", sampleShape: [8, 8, 1] }
      await exportGenerator(generator, join(work, "custom", "generator"), description)
      const demo = await writeWebDemo({ modelDir: join(work, "custom", "generator"), outDir: join(work, "custom", "demo"), sampleCount: 4, interpolationSteps: 3 })
      expect(demo.generator).toEqual(description)
      const { page, errors } = await openDemo(pathToFileURL(demo.indexHtml).href)
      try {
        // with --disable-gpu Chromium still offers WebGL through SwiftShader; TF.js prefers it and falls back to cpu
        expect(await page.evaluate(() => window.ganflowDemo!.backend)).toBe("webgl")
        const grid = await canvasPixels(page, "#grid canvas")
        expect(grid).toHaveLength(4)
        for (const sample of grid) {
          expect(variance(sample)).toBeGreaterThan(50)
          for (let p = 0; p < sample.length; p += 3) expect(sample[p]).toBe(sample[p + 2]) // one channel: grey
        }
        const latents = [Array.from({ length: 16 }, (_, i) => Math.sin(i))]
        const browser = await page.evaluate((l) => window.ganflowDemo!.generate(l), latents)
        const expected = tf.tidy(() => (generator.predict(tf.tensor2d(latents)) as tf.Tensor).dataSync())
        expect(Math.max(...browser.data.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-3)
        expect(errors).toEqual([])
      } finally {
        await page.close()
      }
    } finally {
      generator.dispose()
    }
  }, 60_000)

  it("shows the load error on the page when the model script is missing", async () => {
    const demo = await writeWebDemo({ modelDir: join(work, "dcgan32", "generator"), outDir: join(work, "broken", "demo"), sampleCount: 2 })
    rmSync(join(work, "broken", "demo", "model", "model.js"))
    const page = await context.newPage()
    const errors: string[] = []
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())))
    try {
      await page.goto(`${pathToFileURL(demo.indexHtml).href}?backend=cpu`)
      await page.waitForSelector(".error")
      expect(await page.textContent(".error")).toContain("could not load model/model.js")
      expect(errors.some((e) => e.includes("could not load model/model.js"))).toBe(true)
    } finally {
      await page.close()
    }
  }, 60_000)
})

describe("web demo files", () => {
  it("checks each architecture's model.json against the trainer's description (gan.json) without leaking tensors", async () => {
    const cases: Array<[GanSpec, GeneratorDescription]> = [
      [{ architecture: "vanilla", options: { hidden: 8 } }, { architecture: "vanilla", latentDim: 100, numClasses: null, outputRange: "tanh", sampleShape: [28, 28, 1] }],
      [{ architecture: "conditional", options: { hidden: [8], numClasses: 4 } }, { architecture: "conditional", latentDim: 100, numClasses: 4, outputRange: "tanh", sampleShape: [28, 28, 1] }],
      [{ architecture: "gan3d", options: { resolution: 32, width: 2, latentDim: 8 } }, { architecture: "gan3d", latentDim: 8, numClasses: null, outputRange: "sigmoid", sampleShape: [32, 32, 32, 1] }],
    ]
    for (const [spec, expected] of cases) {
      const models = buildGan(spec, 1)
      const dir = join(work, "describe", spec.architecture)
      const description = describeGanModels(models, spec.architecture)
      expect(description).toEqual(expected)
      await exportGenerator(models.generator, dir, description)
      models.generator.dispose()
      models.discriminator.dispose()
      const model = readExportedModel(dir)
      await checkGeneratorModel(model, description)
      const warm = tf.memory().numTensors
      await checkGeneratorModel(model, description)
      expect(tf.memory().numTensors).toBe(warm)
      // a description that does not fit the model is refused naming both shapes
      await expect(checkGeneratorModel(model, { ...description, latentDim: description.latentDim + 1 })).rejects.toThrow(`its inputs are [N, ${description.latentDim}]`)
      await expect(checkGeneratorModel(model, { ...description, sampleShape: [4, 4, 3] })).rejects.toBeInstanceOf(WebDemoModelInvalid)
    }
  })

  it("writes the folder: page, bundle, model.json + weights and the inline model script; bad inputs are typed errors", async () => {
    const dir = join(work, "dcgan32", "demo")
    const html = readFileSync(join(dir, "index.html"), "utf8")
    expect(html).toContain("<title>dcgan32</title>")
    expect(html).toContain('<script src="ganflow-demo.js"></script>')
    const config = JSON.parse(/<script type="application\/json" id="ganflow-demo-config">(.*?)<\/script>/s.exec(html)![1]!)
    expect(config).toMatchObject({ latentDim: 100, classCount: null, outputShape: [32, 32, 3], outputRange: "tanh", sampleCount: 12 })
    const weights = readFileSync(join(work, "dcgan32", "generator", "weights.bin"))
    expect(readFileSync(join(dir, "model", "weights.bin")).equals(weights)).toBe(true)
    const script = readFileSync(join(dir, "model", "model.js"), "utf8")
    expect(script.startsWith("window.ganflowGenerator = {")).toBe(true)
    expect(Buffer.from(JSON.parse(script.slice("window.ganflowGenerator = ".length, -2)).weightsBase64, "base64").equals(weights)).toBe(true)

    await expect(writeWebDemo({ modelDir: join(work, "nowhere"), outDir: join(work, "x") })).rejects.toBeInstanceOf(WebDemoModelInvalid)
    rmSync(join(work, "describe", "vanilla", "gan.json"))
    await expect(writeWebDemo({ modelDir: join(work, "describe", "vanilla"), outDir: join(work, "x") })).rejects.toBeInstanceOf(GeneratorDescriptionInvalid)
    const names = writeWebDemo({ modelDir: join(work, "cdcgan32", "generator"), outDir: join(work, "x"), labels: { names: ["a", "b"] } })
    await expect(names).rejects.toBeInstanceOf(WebDemoOptionsInvalid)
    await expect(names).rejects.toThrow("web demo: option labels.names: 2 names for 3 classes")
    await expect(writeWebDemo({ modelDir: join(work, "dcgan32", "generator"), outDir: join(work, "x"), labels: { count: 2 } })).rejects.toThrow("not conditional")
  })

  it("reuses the cached bundle while its inputs are unchanged", async () => {
    const first = await buildDemoBundle()
    const again = await buildDemoBundle()
    expect(again).toEqual({ ...first, cached: true })
    expect(first.bytes).toBeGreaterThan(300_000) // TF.js core + layers + two backends, minified
  })
})
