import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type NetworkDescription, writeGeneratorDescription } from "./generator-description.ts"

/**
 * Saves a generator in the TensorFlow.js layers format: `<dir>/model.json` (topology + weights manifest pointing at
 * `weights.bin`) and `<dir>/weights.bin`, with its sampling contract `description` as `<dir>/gan.json`, which `tf.loadLayersModel("…/model.json")` loads in a browser (custom
 * layers from `@ganflow/models` must be imported there so they are registered). With `weights` (e.g. the EMA of G,
 * in `model.weights` order) those values are saved instead of the model's own; the model is left unchanged.
 * Returns the paths written.
 */
export const exportGenerator = async (
  generator: tfl.LayersModel,
  dir: string,
  description: NetworkDescription,
  weights?: readonly tf.Tensor[],
): Promise<{ readonly modelJson: string; readonly weightsBin: string }> => {
  const saved = weights ? generator.getWeights().map((w) => tf.clone(w)) : undefined
  if (weights) generator.setWeights([...weights])
  let artifacts: tf.io.ModelArtifacts | undefined
  try {
    await generator.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }
      }),
    )
  } finally {
    if (saved) {
      generator.setWeights(saved)
      tf.dispose(saved)
    }
  }
  const a = artifacts!
  mkdirSync(dir, { recursive: true })
  const modelJson = join(dir, "model.json")
  const weightsBin = join(dir, "weights.bin")
  const weightData = a.weightData instanceof ArrayBuffer ? a.weightData : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[])
  writeFileSync(weightsBin, new Uint8Array(weightData))
  writeFileSync(
    modelJson,
    JSON.stringify({
      format: a.format ?? "layers-model",
      generatedBy: a.generatedBy,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
    }),
  )
  writeGeneratorDescription(dir, description)
  return { modelJson, weightsBin }
}
