/**
 * The demo page: a grid of generated samples ("New samples" draws fresh latents), sliders over the first
 * coordinates of the selected sample's z, an interpolation strip between two chosen samples, and a class selector
 * for conditional generators. It builds its own DOM inside `#ganflow-demo` from the JSON config the page
 * carries, and exposes `window.ganflowDemo` (ready promise, render counter, raw `generate`) for scripts and tests.
 */
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import type { DemoConfig } from "../demo-config.ts"
import { displayImages, paintImage, type DisplayImages } from "./display-images.ts"
import { loadGenerator } from "./generator-loading.ts"
import { LatentRandom, slerp } from "./latent-space.ts"

/** The absolute URL of this module (the web demo bundles it as its entry; empty inside the bundle). */
export const demoPageModule: string = import.meta.url

/** What the page exposes as `window.ganflowDemo`. */
export interface DemoHooks {
  /** Resolves when the model is loaded and the first grid is painted; rejects with the load error. */
  readonly ready: Promise<void>
  /** Grid, sample and strip paints completed so far. */
  renders: number
  /** The TF.js backend in use (`webgl` or `cpu`), once ready. */
  backend: string
  /** Where the weights came from: `model.json` (fetched) or `model.js` (inline script). */
  source: string
  readonly config: DemoConfig
  /** Runs the generator on `latents` (`[N][latentDim]`) and class ids (conditional models); raw outputs. */
  generate(latents: number[][], labels?: number[]): Promise<{ shape: number[]; data: number[] }>
  /** The latent and class id grid sample `index` is drawn from now (sliders and the class selector included). */
  sample(index: number): { latent: number[]; label: number }
  /** `tf.memory().numTensors` (to check that repeated generation does not leak). */
  numTensors(): number
}

declare global {
  interface Window {
    ganflowDemo?: DemoHooks
  }
}

/** Starts the demo on the current document (`#ganflow-demo` and `#ganflow-demo-config` must exist). */
export const startDemoFromPage = (): void => {
  const root = document.getElementById("ganflow-demo")
  const configText = document.getElementById("ganflow-demo-config")?.textContent
  if (root === null || configText === undefined || configText === null) {
    console.error("ganflow demo: the page lacks #ganflow-demo or #ganflow-demo-config")
    return
  }
  const config = JSON.parse(configText) as DemoConfig
  let page: DemoPage | undefined
  const start = async (): Promise<void> => {
    const backend = new URLSearchParams(location.search).get("backend")
    if (backend !== null && !(await tf.setBackend(backend))) throw new Error(`TF.js backend "${backend}" is not available here`)
    await tf.ready()
    hooks.backend = tf.getBackend()
    const loaded = await loadGenerator(config.modelJsonPath, config.modelScriptPath)
    hooks.source = loaded.source
    page = new DemoPage(root, config, loaded.model, hooks)
    await page.start()
  }
  const hooks: DemoHooks = {
    ready: new Promise<void>((resolve, reject) => queueMicrotask(() => start().then(resolve, reject))),
    renders: 0,
    backend: "",
    source: "",
    config,
    generate: async (latents, labels) => {
      if (page === undefined) throw new Error("the demo is not ready")
      const output = page.run(latents.map((z) => Float32Array.from(z)), labels ?? latents.map(() => 0))
      try {
        return { shape: output.shape, data: Array.from(await output.data()) }
      } finally {
        output.dispose()
      }
    },
    sample: (index) => {
      if (page === undefined) throw new Error("the demo is not ready")
      return page.sample(index)
    },
    numTensors: () => tf.memory().numTensors,
  }
  hooks.ready.catch((e: unknown) => {
    console.error(`ganflow demo: ${e instanceof Error ? e.message : String(e)}`)
    showError(root, "The demo could not start", e)
  })
  window.ganflowDemo = hooks
}

const showError = (root: HTMLElement, what: string, e: unknown): void => {
  const box = element("p", { className: "error" })
  box.textContent = `${what}: ${e instanceof Error ? e.message : String(e)}`
  root.prepend(box)
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Node[]): HTMLElementTagNameMap[K] => {
  const e = Object.assign(document.createElement(tag), props)
  e.append(...children)
  return e
}

/** One page's state and widgets; every generation goes through one queue so paints never interleave. */
class DemoPage {
  private readonly random: LatentRandom
  private latents: Float32Array[] = []
  private labels: number[] = []
  /** -1: each sample keeps its own random class; otherwise every sample uses this class. */
  private classChoice = -1
  private selected = 0
  private startIndex = 0
  private endIndex = 1
  private queue: Promise<void> = Promise.resolve()
  private readonly pendingSamples = new Set<number>()
  private pendingStrip = false
  private readonly gridCanvases: HTMLCanvasElement[] = []
  private readonly stripCanvases: HTMLCanvasElement[] = []
  private readonly sliders: HTMLInputElement[] = []
  private readonly sliderValues: HTMLOutputElement[] = []
  private readonly selectedLabel = element("span")
  private readonly endsLabel = element("span")
  private readonly status = element("p", { className: "status" })

  constructor(
    private readonly root: HTMLElement,
    private readonly config: DemoConfig,
    private readonly model: tfl.LayersModel,
    private readonly hooks: DemoHooks,
  ) {
    this.random = new LatentRandom(config.seed)
    this.endIndex = Math.min(1, config.sampleCount - 1)
  }

  /** Builds the widgets, draws the first latents and paints everything. */
  async start(): Promise<void> {
    this.buildLayout()
    this.drawLatents()
    this.refreshControls()
    await this.enqueue(() => this.paintAll())
  }

  /** Runs the generator on latents and class ids; the caller disposes the returned tensor. */
  run(latents: Float32Array[], labels: number[]): tf.Tensor {
    return tf.tidy(() => {
      const dim = this.config.latentDim
      const flat = new Float32Array(latents.length * dim)
      latents.forEach((z, i) => flat.set(z.subarray(0, dim), i * dim))
      const z = tf.tensor2d(flat, [latents.length, dim])
      const inputs = this.config.classCount === null ? z : [z, tf.tensor2d(Float32Array.from(labels), [labels.length, 1])]
      return this.model.predict(inputs) as tf.Tensor
    })
  }

  /** The latent and class id of grid sample `index`. */
  sample(index: number): { latent: number[]; label: number } {
    return { latent: Array.from(this.latents[index]!), label: this.labelOf(index) }
  }

  private buildLayout(): void {
    const c = this.config
    const newSamples = element("button", { id: "new-samples", textContent: "New samples", onclick: () => this.newSamples() })
    const toolbar = element("div", { className: "toolbar" }, newSamples)
    if (c.classCount !== null) {
      const select = element("select", { id: "class-select", onchange: () => this.chooseClass(Number(select.value)) })
      select.append(element("option", { value: "-1", textContent: "each sample: a random class" }))
      for (let k = 0; k < c.classCount; k++) select.append(element("option", { value: String(k), textContent: c.classNames?.[k] ?? `class ${k}` }))
      toolbar.append(element("label", { textContent: "Class " }, select))
    }
    const grid = element("div", { id: "grid", className: "grid" })
    for (let i = 0; i < c.sampleCount; i++) {
      const canvas = element("canvas", { className: "sample", title: `sample ${i}`, onclick: () => this.select(i) })
      canvas.dataset["index"] = String(i)
      this.gridCanvases.push(canvas)
      grid.append(canvas)
    }
    const sliderBox = element("div", { id: "sliders", className: "sliders" })
    const sliderCount = Math.min(c.sliderCount, c.latentDim)
    for (let d = 0; d < sliderCount; d++) {
      const input = element("input", { type: "range", min: "-3", max: "3", step: "0.01", id: `z-${d}` })
      const value = element("output")
      input.oninput = () => this.moveSlider(d, Number(input.value))
      this.sliders.push(input)
      this.sliderValues.push(value)
      sliderBox.append(element("label", { textContent: `z[${d}]` }, input, value))
    }
    const strip = element("div", { id: "strip", className: "strip" })
    for (let s = 0; s < c.interpolationSteps; s++) {
      const canvas = element("canvas", { className: "sample", title: `t = ${(s / Math.max(1, c.interpolationSteps - 1)).toFixed(2)}` })
      this.stripCanvases.push(canvas)
      strip.append(canvas)
    }
    const setStart = element("button", { id: "set-start", textContent: "Use as start", onclick: () => this.setEnds(this.selected, this.endIndex) })
    const setEnd = element("button", { id: "set-end", textContent: "Use as end", onclick: () => this.setEnds(this.startIndex, this.selected) })
    const volumeNote = c.outputShape.length === 4 ? [element("p", { className: "note", textContent: "Volumes are shown as their maximum projection along depth." })] : []
    this.root.append(
      element("section", { className: "panel" }, toolbar, ...volumeNote, grid),
      element("section", { className: "panel" }, element("h2", {}, this.selectedLabel), element("p", { className: "note", textContent: "Click a sample to select it; the sliders move its first latent coordinates." }), sliderBox),
      element("section", { className: "panel" }, element("h2", {}, this.endsLabel), element("div", { className: "toolbar" }, setStart, setEnd), strip),
      this.status,
    )
  }

  private drawLatents(): void {
    const c = this.config
    this.latents = Array.from({ length: c.sampleCount }, () => this.random.latent(c.latentDim))
    this.labels = Array.from({ length: c.sampleCount }, () => (c.classCount === null ? 0 : this.random.int(c.classCount)))
  }

  private labelOf(i: number): number {
    return this.classChoice >= 0 ? this.classChoice : this.labels[i]!
  }

  private newSamples(): void {
    this.drawLatents()
    this.refreshControls()
    void this.enqueue(() => this.paintAll())
  }

  private chooseClass(k: number): void {
    this.classChoice = k
    void this.enqueue(() => this.paintAll())
  }

  private select(i: number): void {
    this.selected = i
    this.refreshControls()
  }

  private setEnds(a: number, b: number): void {
    this.startIndex = a
    this.endIndex = b
    this.refreshControls()
    this.pendingStrip = true
    void this.enqueue(() => this.paintPending())
  }

  private moveSlider(d: number, value: number): void {
    this.latents[this.selected]![d] = value
    this.sliderValues[d]!.value = value.toFixed(2)
    this.pendingSamples.add(this.selected)
    if (this.selected === this.startIndex || this.selected === this.endIndex) this.pendingStrip = true
    void this.enqueue(() => this.paintPending())
  }

  private refreshControls(): void {
    const z = this.latents[this.selected]!
    this.sliders.forEach((s, d) => {
      s.value = String(z[d])
      this.sliderValues[d]!.value = z[d]!.toFixed(2)
    })
    this.gridCanvases.forEach((canvas, i) => {
      canvas.classList.toggle("selected", i === this.selected)
      canvas.classList.toggle("end", i === this.startIndex || i === this.endIndex)
    })
    this.selectedLabel.textContent = `Latent sliders: sample ${this.selected}`
    this.endsLabel.textContent = `Interpolation: sample ${this.startIndex} → sample ${this.endIndex}`
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((e: unknown) => {
      console.error(`ganflow demo: ${e instanceof Error ? e.message : String(e)}`)
      showError(this.root, "Generating failed", e)
    })
    return this.queue
  }

  private async generateImages(latents: Float32Array[], labels: number[]): Promise<DisplayImages> {
    const output = this.run(latents, labels)
    try {
      return await displayImages(output, this.config.outputRange)
    } finally {
      output.dispose()
    }
  }

  private async paintAll(): Promise<void> {
    this.pendingSamples.clear()
    this.pendingStrip = false
    const t0 = performance.now()
    const grid = await this.generateImages(this.latents, this.latents.map((_, i) => this.labelOf(i)))
    this.gridCanvases.forEach((canvas, i) => paintImage(canvas, grid, i))
    const ms = performance.now() - t0
    await this.paintStrip()
    this.hooks.renders++
    this.status.textContent = `${this.config.sampleCount} samples in ${ms.toFixed(0)} ms · TF.js ${this.hooks.backend} backend · weights from ${this.hooks.source} · z has ${this.config.latentDim} dimensions`
  }

  /** Paints the samples whose latents changed since the last paint (sliders coalesce while a paint runs). */
  private async paintPending(): Promise<void> {
    const indices = [...this.pendingSamples]
    this.pendingSamples.clear()
    if (indices.length > 0) {
      const images = await this.generateImages(indices.map((i) => this.latents[i]!), indices.map((i) => this.labelOf(i)))
      indices.forEach((i, k) => paintImage(this.gridCanvases[i]!, images, k))
    }
    const strip = this.pendingStrip
    if (strip) {
      this.pendingStrip = false
      await this.paintStrip()
    }
    if (indices.length > 0 || strip) this.hooks.renders++
  }

  private async paintStrip(): Promise<void> {
    const steps = this.config.interpolationSteps
    if (steps === 0) return
    const a = this.latents[this.startIndex]!
    const b = this.latents[this.endIndex]!
    const latents = Array.from({ length: steps }, (_, s) => slerp(a, b, s / Math.max(1, steps - 1)))
    const label = this.labelOf(this.startIndex)
    const images = await this.generateImages(latents, latents.map(() => label))
    this.stripCanvases.forEach((canvas, s) => paintImage(canvas, images, s))
  }
}
