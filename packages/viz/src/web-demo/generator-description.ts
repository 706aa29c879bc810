/**
 * What the demo needs to know about an exported generator, read from its TF.js layers model (`model.json` +
 * the weight files it lists): latent size, conditional or not (and how many classes), output shape and range.
 */
import "@tensorflow/tfjs-backend-cpu"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import "./browser/layer-registrations.ts"
import { WebDemoModelInvalid } from "./errors.ts"

/** A generator as the demo sees it. */
export interface GeneratorDescription {
  /** Length of z (the first input is `[N, latentDim]`). */
  readonly latentDim: number
  /** True when the generator takes a second input, class ids `[N, 1]`. */
  readonly conditional: boolean
  /** Classes of a conditional generator: its label embedding's input size (null: not conditional, or no embedding). */
  readonly classCount: number | null
  /** One output's shape, channels last: `[H, W, C]` (image) or `[D, H, W, 1]` (volume). */
  readonly outputShape: readonly number[]
  /** The last layer's activation: `"tanh"` (images in [-1, 1]) or `"sigmoid"` (in [0, 1]); null if neither. */
  readonly outputRange: "tanh" | "sigmoid" | null
}

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
 * Loads an exported generator (on the current TF.js backend, disposing it afterwards) and describes it. Fails
 * with {@link WebDemoModelInvalid} when it does not load (an unregistered layer, weights that do not fit) or is
 * not a generator the demo can drive: one `[N, latentDim]` input, or `[latents, labels [N, 1]]`, and an image
 * `[N, H, W, C]` or volume `[N, D, H, W, 1]` output.
 */
export const describeGenerator = async (model: ExportedModel): Promise<GeneratorDescription> => {
  const invalid = (reason: string) => new WebDemoModelInvalid({ file: model.modelJsonFile, reason })
  await tf.ready()
  let generator: tfl.LayersModel
  try {
    const weightData = model.weightData.buffer.slice(model.weightData.byteOffset, model.weightData.byteOffset + model.weightData.byteLength) as ArrayBuffer
    generator = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightSpecs, weightData }))
  } catch (e) {
    throw invalid(`TF.js cannot load it: ${(e as Error).message}`)
  }
  try {
    const inputs = generator.inputs.map((t) => t.shape)
    const output = generator.outputs
    if (inputs.length < 1 || inputs.length > 2) throw invalid(`it has ${inputs.length} inputs; a generator takes latents, or latents and labels`)
    const latent = inputs[0]!
    if (latent.length !== 2 || latent[1] === null) throw invalid(`its first input has shape [${latent.join(", ")}]; latents are [N, latentDim]`)
    if (inputs.length === 2 && (inputs[1]!.length !== 2 || inputs[1]![1] !== 1)) throw invalid(`its second input has shape [${inputs[1]!.join(", ")}]; labels are [N, 1]`)
    if (output.length !== 1) throw invalid(`it has ${output.length} outputs; a generator has one`)
    const outputShape = output[0]!.shape.slice(1)
    if (!(outputShape.length === 3 || (outputShape.length === 4 && outputShape[3] === 1)) || outputShape.some((d) => d === null)) {
      throw invalid(`its output has shape [${output[0]!.shape.join(", ")}]; the demo shows images [N, H, W, C] and volumes [N, D, H, W, 1]`)
    }
    const conditional = inputs.length === 2
    const embedding = conditional ? generator.layers.find((l) => l.getClassName() === "Embedding") : undefined
    const classCount = embedding === undefined ? null : (embedding.getConfig()["inputDim"] as number)
    // the last layer with an activation (a Reshape or Activation may follow the last dense/conv)
    const activated = [...generator.layers].reverse().find((l) => "activation" in l.getConfig())
    const activation = activated?.getConfig()["activation"]
    const outputRange = activation === "tanh" || activation === "sigmoid" ? activation : null
    return { latentDim: latent[1]!, conditional, classCount, outputShape: outputShape as number[], outputRange }
  } finally {
    generator.dispose()
  }
}
