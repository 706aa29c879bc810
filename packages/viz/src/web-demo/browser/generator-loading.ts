import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import "@ganflow/models/layers" // registers the custom layers a generator may use

/** The generator as `model/model.js` defines it: topology, weight specs and the weights as base64. */
export interface InlinedGenerator {
  readonly modelTopology: object
  readonly weightSpecs: tf.io.WeightsManifestEntry[]
  readonly weightsBase64: string
}

declare global {
  interface Window {
    /** Set by `model/model.js` (written by `writeWebDemo`). */
    ganflowGenerator?: InlinedGenerator
  }
}

/** A loaded generator and where it came from: fetched `model.json` (http) or the inline script (file://). */
export interface LoadedGenerator {
  readonly model: tfl.LayersModel
  readonly source: "model.json" | "model.js"
}

/**
 * Loads the demo's generator. Served over http(s) it fetches `modelJsonPath` (and its weights file); opened from
 * disk, where Chromium blocks fetch, it adds a `<script src=modelScriptPath>` that defines the model inline.
 * A failed fetch also falls back to the script. Rejects with an Error naming the path that failed.
 */
export const loadGenerator = async (modelJsonPath: string, modelScriptPath: string): Promise<LoadedGenerator> => {
  if (location.protocol === "http:" || location.protocol === "https:") {
    try {
      return { model: await tfl.loadLayersModel(modelJsonPath), source: "model.json" }
    } catch (e) {
      console.warn(`ganflow demo: fetching ${modelJsonPath} failed (${String(e)}); loading ${modelScriptPath} instead`)
    }
  }
  await loadScript(modelScriptPath)
  const inlined = window.ganflowGenerator
  if (inlined === undefined) throw new Error(`${modelScriptPath} did not define window.ganflowGenerator`)
  const weightData = decodeBase64(inlined.weightsBase64)
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: inlined.modelTopology, weightSpecs: inlined.weightSpecs, weightData }))
  delete window.ganflowGenerator // the weights now live in the model; let the string go
  return { model, source: "model.js" }
}

const loadScript = (src: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const script = document.createElement("script")
    script.src = src
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`could not load ${src} (is it next to index.html?)`))
    document.head.appendChild(script)
  })

const decodeBase64 = (text: string): ArrayBuffer => {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}
