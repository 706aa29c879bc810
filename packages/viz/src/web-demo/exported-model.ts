/**
 * An exported generator as the demo ships it: its TF.js layers model (`model.json` + the weight files it lists) read
 * from disk, checked against the trainer's description of it (`gan.json`: latent size, classes, sample shape and
 * range), so a page is never written for a model that would not run in it.
 */
import "@tensorflow/tfjs-backend-cpu"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import type { GeneratorDescription } from "@ganflow/trainers"
import "@ganflow/models/layers" // registers the custom layers a generator may use
import { WebDemoModelInvalid } from "./errors.ts"

/** An exported TF.js layers model read from disk: the parsed `model.json` and its concatenated weights. */
export interface ExportedModel {
  readonly modelJsonFile: string
  readonly modelTopology: object
  readonly weightSpecs: tf.io.WeightsManifestEntry[]
  readonly weightData: Uint8Array
}

interface ModelJson {
  readonly modelTopology?: object
  readonly weightsManifest?: ReadonlyArray<{ readonly paths: readonly string[]; readonly weights: tf.io.WeightsManifestEntry[] }>
}

/** Reads `<dir>/model.json` and the weight files it lists. Fails with {@link WebDemoModelInvalid}. */
export const readExportedModel = (dir: string): ExportedModel => {
  const modelJsonFile = join(dir, "model.json")
  const invalid = (reason: string) => new WebDemoModelInvalid({ file: modelJsonFile, reason })
  if (!existsSync(modelJsonFile)) throw invalid("no such file (export the generator with exportGenerator or the train-gan stage)")
  let json: ModelJson
  try {
    json = JSON.parse(readFileSync(modelJsonFile, "utf8")) as ModelJson
  } catch (e) {
    throw invalid(`not JSON: ${(e as Error).message}`)
  }
  if (typeof json.modelTopology !== "object" || json.modelTopology === null) throw invalid("no modelTopology (not a TF.js layers model)")
  if (!Array.isArray(json.weightsManifest)) throw invalid("no weightsManifest")
  const parts: Uint8Array[] = []
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const file = join(dir, path)
      if (!existsSync(file)) throw invalid(`the weights file ${path} it lists is missing`)
      parts.push(new Uint8Array(readFileSync(file)))
    }
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((offset, p) => (weightData.set(p, offset), offset + p.length), 0)
  return { modelJsonFile, modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }
}

/**
 * Loads an exported model on the current TF.js backend (the caller disposes it). Fails with
 * {@link WebDemoModelInvalid} when TF.js cannot load it (an unregistered layer, weights that do not fit).
 */
export const loadExportedModel = async (model: ExportedModel): Promise<tfl.LayersModel> => {
  await tf.ready()
  try {
    const weightData = model.weightData.buffer.slice(model.weightData.byteOffset, model.weightData.byteOffset + model.weightData.byteLength) as ArrayBuffer
    return await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightSpecs, weightData }))
  } catch (e) {
    throw new WebDemoModelInvalid({ file: model.modelJsonFile, reason: `TF.js cannot load it: ${(e as Error).message}` })
  }
}

/**
 * Loads an exported generator (on the current TF.js backend, disposing it afterwards) and checks that it is what its
 * description says: inputs `[N, latentDim]` (and labels `[N, 1]` when `numClasses` is set), one output
 * `[N, ...sampleShape]` of an image `[H, W, C]` or a volume `[D, H, W, 1]`. Fails with {@link WebDemoModelInvalid}
 * when it does not load (an unregistered layer, weights that do not fit) or differs from the description.
 */
export const checkGeneratorModel = async (model: ExportedModel, description: GeneratorDescription): Promise<void> => {
  const invalid = (reason: string) => new WebDemoModelInvalid({ file: model.modelJsonFile, reason })
  const generator = await loadExportedModel(model)
  try {
    const shapes = generator.inputs.map((t) => `[${t.shape.map((d) => d ?? "N").join(", ")}]`)
    const expected = [`[N, ${description.latentDim}]`, ...(description.numClasses === null ? [] : ["[N, 1]"])]
    if (shapes.join(" ") !== expected.join(" ")) throw invalid(`its inputs are ${shapes.join(" and ")}; its description (gan.json) says ${expected.join(" and ")} (latents${description.numClasses === null ? "" : ", labels"})`)
    if (generator.outputs.length !== 1) throw invalid(`it has ${generator.outputs.length} outputs; a generator has one`)
    const output = generator.outputs[0]!.shape.slice(1)
    if (output.join("x") !== description.sampleShape.join("x")) throw invalid(`its output is [N, ${output.join(", ")}]; its description (gan.json) says [N, ${description.sampleShape.join(", ")}]`)
    if (!(output.length === 3 || (output.length === 4 && output[3] === 1))) throw invalid(`its output has shape [N, ${output.join(", ")}]; the demo shows images [N, H, W, C] and volumes [N, D, H, W, 1]`)
  } finally {
    generator.dispose()
  }
}
