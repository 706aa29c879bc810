/**
 * The translation demo page: thumbnails of chosen example inputs and an upload button; the selected (or uploaded)
 * image goes through the exported image-to-image generator and is shown as input | output | target. pix2pix's
 * dropout stays on at inference ({@link setDropoutDraw} draw 0, so one image always gives one output). It exposes
 * `window.ganflowTranslation` (ready promise, render counter, raw `translate`) for scripts and tests.
 */
import { setDropoutDraw } from "@ganflow/models/layers"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { displayImages, paintImage } from "../../web-demo/browser/display-images.ts"
import { loadGenerator } from "../../web-demo/browser/generator-loading.ts"
import type { TranslationDemoConfig, TranslationExamples } from "../translation-demo-config.ts"

/** The absolute URL of this module (the bundle's entry; empty inside the bundle). */
export const translationPageModule: string = import.meta.url

/** What the page exposes as `window.ganflowTranslation`. */
export interface TranslationHooks {
  /** Resolves when the model is loaded and the first example is translated; rejects with the load error. */
  readonly ready: Promise<void>
  /** Translations painted so far. */
  renders: number
  backend: string
  source: string
  readonly config: TranslationDemoConfig
  /** Index of the shown example, or -1 after an upload. */
  selected: number
  /** Runs the generator on example `index`; raw outputs `[1, size, size, 3]`. */
  translate(index: number): Promise<{ shape: number[]; data: number[] }>
  /** Selects example `index` (as a click on its thumbnail does) and waits for the paint. */
  select(index: number): Promise<void>
  numTensors(): number
}

declare global {
  interface Window {
    ganflowTranslation?: TranslationHooks
    /** Set by `examples.js` (written by `writeTranslationDemo`). */
    ganflowTranslationExamples?: TranslationExamples
  }
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Node[]): HTMLElementTagNameMap[K] => {
  const e = Object.assign(document.createElement(tag), props)
  e.append(...children)
  return e
}

const decodeBase64 = (text: string): Uint8Array => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

const paintRgb = (canvas: HTMLCanvasElement, rgb: Uint8Array | Uint8ClampedArray, size: number): void => {
  paintImage(canvas, { count: 1, height: size, width: size, rgb: Uint8ClampedArray.from(rgb) }, 0)
}

/** Starts the demo on the current document (`#ganflow-translation` and `#ganflow-translation-config` must exist). */
export const startTranslationDemoFromPage = (): void => {
  const root = document.getElementById("ganflow-translation")
  const configText = document.getElementById("ganflow-translation-config")?.textContent
  if (root === null || configText === undefined || configText === null) {
    console.error("ganflow translation demo: the page lacks #ganflow-translation or #ganflow-translation-config")
    return
  }
  const config = JSON.parse(configText) as TranslationDemoConfig
  const item = config.size * config.size * 3
  let model: tfl.LayersModel | undefined
  let inputs: Uint8Array = new Uint8Array(0)
  let targets: Uint8Array | null = null
  const canvases = { input: element("canvas", { id: "input", className: "big" }), output: element("canvas", { id: "output", className: "big" }), target: element("canvas", { id: "target", className: "big" }) }
  const thumbs: HTMLCanvasElement[] = []
  const status = element("p", { className: "status" })
  let queue: Promise<void> = Promise.resolve()

  /** The generator on one uint8 RGB image; the caller disposes the result. */
  const run = (rgb: Uint8Array): tf.Tensor => {
    if (model === undefined) throw new Error("the demo is not ready")
    const m = model
    setDropoutDraw(m, 0)
    return tf.tidy(() => m.predict(tf.div(tf.sub(tf.tensor4d(Float32Array.from(rgb), [1, config.size, config.size, 3]), 127.5), 127.5)) as tf.Tensor)
  }
  const show = (rgb: Uint8Array, target: Uint8Array | null, selected: number): Promise<void> =>
    (queue = queue.then(async () => {
      hooks.selected = selected
      thumbs.forEach((t, i) => t.classList.toggle("selected", i === selected))
      paintRgb(canvases.input, rgb, config.size)
      const output = run(rgb)
      try {
        paintImage(canvases.output, await displayImages(output, "tanh"), 0)
      } finally {
        output.dispose()
      }
      if (target !== null) paintRgb(canvases.target, target, config.size)
      else canvases.target.getContext("2d")?.clearRect(0, 0, canvases.target.width, canvases.target.height)
      hooks.renders++
      status.textContent = selected >= 0 ? `example ${selected}` : "uploaded image"
    }))
  const example = (i: number) => inputs.subarray(i * item, (i + 1) * item)
  const select = (i: number) => show(example(i), targets === null ? null : targets.subarray(i * item, (i + 1) * item), i)

  /** An uploaded file, centre-cropped to a square and resized to the generator's size. */
  const upload = async (file: File): Promise<void> => {
    const bitmap = await createImageBitmap(file)
    const side = Math.min(bitmap.width, bitmap.height)
    const canvas = element("canvas", { width: config.size, height: config.size })
    const ctx = canvas.getContext("2d")!
    ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, config.size, config.size)
    const rgba = ctx.getImageData(0, 0, config.size, config.size).data
    const rgb = new Uint8Array(item)
    for (let p = 0; p < config.size * config.size; p++) rgb.set([rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!], p * 3)
    await show(rgb, null, -1)
  }

  const start = async (): Promise<void> => {
    const backend = new URLSearchParams(location.search).get("backend")
    if (backend !== null && !(await tf.setBackend(backend))) throw new Error(`TF.js backend "${backend}" is not available here`)
    await tf.ready()
    hooks.backend = tf.getBackend()
    const examples = window.ganflowTranslationExamples
    if (examples === undefined) throw new Error(`${config.examplesScriptPath} did not define window.ganflowTranslationExamples`)
    inputs = decodeBase64(examples.inputsBase64)
    targets = examples.targetsBase64 === null ? null : decodeBase64(examples.targetsBase64)
    const loaded = await loadGenerator(config.modelJsonPath, config.modelScriptPath)
    model = loaded.model
    hooks.source = loaded.source
    const strip = element("div", { id: "examples", className: "strip" })
    for (let i = 0; i < config.exampleCount; i++) {
      const t = element("canvas", { className: "thumb", title: `example ${i}`, onclick: () => void select(i) })
      t.dataset["index"] = String(i)
      paintRgb(t, example(i), config.size)
      thumbs.push(t)
      strip.append(t)
    }
    const file = element("input", { type: "file", id: "upload", accept: "image/*" })
    file.onchange = () => {
      const f = file.files?.[0]
      if (f !== undefined) void upload(f).catch((e: unknown) => showError(root, "That image could not be read", e))
    }
    const labelled = (text: string, canvas: HTMLCanvasElement) => element("figure", {}, canvas, element("figcaption", { textContent: text }))
    root.append(
      element("section", { className: "panel" }, element("h2", { textContent: `Choose a ${config.from}` }), strip, element("p", { className: "note" }, document.createTextNode("or upload your own: "), file)),
      element("section", { className: "panel" }, element("div", { className: "result" },
        labelled(`input (${config.from})`, canvases.input), labelled(`output (${config.to})`, canvases.output), ...(config.hasTargets ? [labelled(`target (${config.to})`, canvases.target)] : []))),
      status,
    )
    await select(0)
  }

  const hooks: TranslationHooks = {
    ready: new Promise<void>((resolve, reject) => queueMicrotask(() => start().then(resolve, reject))),
    renders: 0,
    backend: "",
    source: "",
    config,
    selected: 0,
    translate: async (index) => {
      const output = run(example(index))
      try {
        return { shape: output.shape, data: Array.from(await output.data()) }
      } finally {
        output.dispose()
      }
    },
    select: (index) => select(index),
    numTensors: () => tf.memory().numTensors,
  }
  hooks.ready.catch((e: unknown) => {
    console.error(`ganflow translation demo: ${e instanceof Error ? e.message : String(e)}`)
    showError(root, "The demo could not start", e)
  })
  window.ganflowTranslation = hooks
}

const showError = (root: HTMLElement, what: string, e: unknown): void => {
  const box = element("p", { className: "error" })
  box.textContent = `${what}: ${e instanceof Error ? e.message : String(e)}`
  root.prepend(box)
}
