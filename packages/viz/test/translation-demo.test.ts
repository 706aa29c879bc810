/**
 * The translation demo in real headless Chromium (Debian's `chromium`, driven by playwright-core): the page loads an
 * exported U-Net (with its test-time dropout) from disk and over http, translates the chosen example, repaints on a
 * click and on an uploaded image, leaks no tensors, logs no errors, and its raw output equals the generator's in
 * Node within 1e-3. Skips without Chromium unless CI / GANFLOW_REQUIRE_BROWSER=1 (see chromium-for-tests.ts).
 */
import "@tensorflow/tfjs-backend-cpu"
import { createServer, type Server } from "node:http"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { extname, join, normalize } from "node:path"
import { pathToFileURL } from "node:url"
import { fileSystemModelSaver, patchGanDiscriminator, setDropoutDraw, unetGenerator } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import sharp from "sharp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { WebDemoModelInvalid } from "../src/web-demo/index.ts"
import { writeTranslationDemo, type TranslationDemo } from "../src/translation-demo/index.ts"
import { chromiumHint, findChromium } from "./chromium-for-tests.ts"

const chromiumSearch = findChromium()
const skipBrowser = !chromiumSearch.found && !chromiumSearch.required
if (skipBrowser && !chromiumSearch.found) process.stderr.write(`[translation-demo] skipping the browser tests: ${chromiumSearch.reason}; ${chromiumHint}\n`)
const chromiumFlags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

const work = mkdtempSync(join(tmpdir(), "ganflow-translation-demo-"))
const size = 64
const count = 3
let context: BrowserContext
let server: Server
let httpBase = ""
let generator: tfl.LayersModel
let demo: TranslationDemo
/** Example inputs: smooth colour gradients, different per example; targets: their inverse. */
const examples = Uint8Array.from({ length: count * size * size * 3 }, (_, i) => {
  const [n, p, c] = [Math.floor(i / (size * size * 3)), Math.floor(i / 3) % (size * size), i % 3]
  return Math.round(127 + 120 * Math.sin((p % size) / (7 + n * 5) + c * 2 + n) * Math.cos(Math.floor(p / size) / 9))
})
const targets = examples.map((v) => 255 - v)

beforeAll(async () => {
  await tf.setBackend("cpu")
  server = createServer((req, res) => {
    const file = normalize(join(work, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)))
    if (!file.startsWith(work) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end()
    const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json" }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  httpBase = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
  generator = unetGenerator({ size, ngf: 4, norm: "instance", seed: 3 }) // downs 6: one decoder block with test-time dropout
  await generator.save(fileSystemModelSaver(join(work, "unet", "generator")))
  demo = await writeTranslationDemo({ modelDir: join(work, "unet", "generator"), outDir: join(work, "unet", "demo"), title: "sketch to face", from: "sketch", to: "face", examples, targets, exampleCount: count })
}, 90_000)

afterAll(async () => {
  generator?.dispose()
  await context?.close()
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  rmSync(work, { recursive: true, force: true })
})

const openDemo = async (url: string): Promise<{ page: Page; errors: string[] }> => {
  const page = await context.newPage()
  const errors: string[] = []
  page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())))
  page.on("pageerror", (e) => void errors.push(String(e)))
  await page.goto(url)
  await page.waitForFunction(() => window.ganflowTranslation !== undefined)
  await page.evaluate(() => window.ganflowTranslation!.ready)
  return { page, errors }
}
const canvasPixels = (page: Page, selector: string): Promise<number[]> =>
  page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement
    return Array.from(canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data).filter((_, i) => i % 4 !== 3)
  })
const meanAbsDiff = (a: number[], b: ArrayLike<number>) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length

describe("translation demo files", () => {
  it("writes the page, bundle, model and examples; a latent generator is refused naming its model.json", async () => {
    expect(demo.config).toMatchObject({ size, exampleCount: count, hasTargets: true, from: "sketch", to: "face" })
    for (const f of demo.files) expect(existsSync(join(work, "unet", "demo", f))).toBe(true)
    const d = patchGanDiscriminator({ size: 32, ndf: 4, layers: 1 })
    await d.save(fileSystemModelSaver(join(work, "patch", "model")))
    d.dispose()
    await expect(writeTranslationDemo({ modelDir: join(work, "patch", "model"), outDir: join(work, "patch", "demo"), examples, exampleCount: count })).rejects.toThrow(WebDemoModelInvalid)
  })
})

describe.skipIf(skipBrowser)("translation demo in headless Chromium", () => {
  beforeAll(async () => {
    if (!chromiumSearch.found) throw new Error(`${chromiumSearch.reason}, and the browser tests are required here (${chromiumSearch.requiredBy}): ${chromiumHint}`)
    context = await chromium.launchPersistentContext(mkdtempSync(join(work, "profile-")), { executablePath: chromiumSearch.path, headless: true, args: chromiumFlags })
  }, 60_000)

  it("from file://: example 0 shown as input | output | target; a click and an upload repaint; no leaks, no errors", async () => {
    const { page, errors } = await openDemo(`${pathToFileURL(demo.indexHtml).href}?backend=cpu`)
    try {
      expect(await page.evaluate(() => window.ganflowTranslation!.source)).toBe("model.js")
      expect(await canvasPixels(page, "#input")).toEqual(Array.from(examples.subarray(0, size * size * 3)))
      expect(await canvasPixels(page, "#target")).toEqual(Array.from(targets.subarray(0, size * size * 3)))
      const out0 = await canvasPixels(page, "#output")
      expect(out0).toHaveLength(size * size * 3)
      const tensors = await page.evaluate(() => window.ganflowTranslation!.numTensors())
      const renders = await page.evaluate(() => window.ganflowTranslation!.renders)
      await page.click('#examples canvas[data-index="2"]')
      await page.waitForFunction((n) => window.ganflowTranslation!.renders > n, renders)
      expect(await page.evaluate(() => window.ganflowTranslation!.selected)).toBe(2)
      expect(meanAbsDiff(await canvasPixels(page, "#output"), out0)).toBeGreaterThan(0.5)
      const png = await sharp(Buffer.from(examples.subarray(size * size * 3, 2 * size * size * 3)), { raw: { width: size, height: size, channels: 3 } }).resize(128, 96).png().toBuffer()
      await page.setInputFiles("#upload", { name: "mine.png", mimeType: "image/png", buffer: png })
      await page.waitForFunction((n) => window.ganflowTranslation!.renders > n + 1, renders)
      expect(await page.evaluate(() => window.ganflowTranslation!.selected)).toBe(-1)
      expect(await page.evaluate(() => window.ganflowTranslation!.numTensors())).toBe(tensors)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)

  it("over http: fetches model.json; the page's raw output equals the generator's in Node (dropout draw 0) within 1e-3", async () => {
    const { page, errors } = await openDemo(`${httpBase}/unet/demo/index.html?backend=cpu`)
    try {
      expect(await page.evaluate(() => window.ganflowTranslation!.source)).toBe("model.json")
      const browser = await page.evaluate(() => window.ganflowTranslation!.translate(1))
      setDropoutDraw(generator, 0)
      const node = tf.tidy(() => {
        const x = tf.div(tf.sub(tf.tensor4d(Float32Array.from(examples.subarray(size * size * 3, 2 * size * size * 3)), [1, size, size, 3]), 127.5), 127.5)
        return Array.from((generator.predict(x) as tf.Tensor).dataSync())
      })
      expect(browser.shape).toEqual([1, size, size, 3])
      expect(Math.max(...browser.data.map((v, i) => Math.abs(v - node[i]!)))).toBeLessThan(1e-3)
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)
})
