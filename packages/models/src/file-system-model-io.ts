import * as tf from "@tensorflow/tfjs-core"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * `file://` model IO for Node without tfjs-node: a TensorFlow.js layers model directory is
 * `model.json` (topology + weightsManifest) beside its weight shards, exactly what
 * `tensorflowjs_converter` and tfjs-node's `model.save("file://dir")` write.
 */

/** Directory of a `file://dir` URL, a `file://dir/model.json` URL, or a plain path. */
export const modelDirectoryOf = (location: string): string => {
  const path = location.startsWith("file://") ? fileURLToPath(location) : location
  return path.endsWith(".json") ? dirname(path) : path
}

/** An IOHandler that writes model.json + weights.bin into `location` (created if missing). */
export const fileSystemModelSaver = (location: string): tf.io.IOHandler =>
  tf.io.withSaveHandler(async (artifacts) => {
    const dir = modelDirectoryOf(location)
    await mkdir(dir, { recursive: true })
    const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData)
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
    }
    await writeFile(join(dir, "weights.bin"), new Uint8Array(weightData))
    await writeFile(join(dir, "model.json"), JSON.stringify(modelJson))
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: "JSON",
        weightDataBytes: weightData.byteLength,
      },
    }
  })

/**
 * An IOHandler that reads `location`/model.json and every shard its weightsManifest lists,
 * concatenated in manifest order. Rejects with the file system's error when a file is missing.
 */
export const fileSystemModelLoader = (location: string): tf.io.IOHandler => ({
  load: async () => {
    const dir = modelDirectoryOf(location)
    const json = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as tf.io.ModelJSON
    const shards: ArrayBuffer[] = []
    for (const group of json.weightsManifest ?? []) {
      for (const path of group.paths) {
        const bytes = await readFile(join(dir, path))
        shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
      }
    }
    return tf.io.getModelArtifactsForJSON(json, async () => [tf.io.getWeightSpecs(json.weightsManifest), tf.io.concatenateArrayBuffers(shards)])
  },
})

let routersRegistered = false

/**
 * Lets `model.save("file://dir")` and `tf.loadLayersModel("file://dir/model.json")` use the
 * handlers above in Node (what tfjs-node would otherwise provide). Idempotent.
 */
export const registerFileSystemModelRouters = (): void => {
  if (routersRegistered) return
  routersRegistered = true
  // A router answers null for URLs it does not handle (tfjs' typings omit the null).
  const route = (factory: (url: string) => tf.io.IOHandler) => (url: string | string[]) =>
    typeof url === "string" && url.startsWith("file://") ? factory(url) : (null as unknown as tf.io.IOHandler)
  tf.io.registerSaveRouter(route(fileSystemModelSaver))
  tf.io.registerLoadRouter(route(fileSystemModelLoader))
}
