/**
 * The shared part of `quality-dcgan-anime.ts` and `quality-wgan-gp-anime.ts`: run one anime-faces pipeline's
 * default, print its FID/KID (random-cnn extractor) with their held-out floors, and the clarity of 256 samples of
 * its final generator (Laplacian variance, see `image-sharpness.ts`) against 256 real faces of its data stage.
 */
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import "../packages/models/src/index.ts" // registers the custom layers a generator may use
import { initBackend } from "../packages/backend/src/index.ts"
import { readUInt8Dataset, SeededRandom } from "../packages/data/src/index.ts"
import { fileSystemModelLoader } from "../packages/models/src/index.ts"
import { sampleLatents } from "../packages/trainers/src/index.ts"
import { laplacianVariance } from "./image-sharpness.ts"
import { printMetricsWithFloors, runPipelineDefault, type QualityRun } from "./quality-run.ts"

/** What {@link animeGanQuality} measured. */
export interface AnimeGanQuality {
  readonly run: QualityRun
  readonly metrics: Record<string, number>
  readonly sharpness: number
  readonly realSharpness: number
}

const COUNT = 256

/** Runs `pipeline` (args passed through) and prints its FID/KID, floors and sample clarity. */
export const animeGanQuality = async (pipeline: string, args: readonly string[]): Promise<AnimeGanQuality> => {
  const run = runPipelineDefault(pipeline, args)
  await initBackend({ backend: "auto", threads: 2 })
  const metrics = printMetricsWithFloors(run, "fid")
  const generator = await tfl.loadLayersModel(fileSystemModelLoader(join(run.dirOf("train"), "generator")))
  const z = sampleLatents(new SeededRandom(12345), COUNT, generator.inputs[0]!.shape[1] as number)
  const samples = tf.tidy(() => tf.div(tf.add(generator.predict(z) as tf.Tensor4D, 1), 2)) as tf.Tensor4D
  const real = readUInt8Dataset(join(run.dirOf("data"), "dataset.gfds"))
  const [, h, w, c] = real.shape as [number, number, number, number]
  const realImages = tf.tensor4d(Float32Array.from(real.data.subarray(0, COUNT * h * w * c), (v) => v / 255), [COUNT, h, w, c])
  const sharpness = laplacianVariance(samples)
  const realSharpness = laplacianVariance(realImages)
  console.log(`${"clarity (Laplacian variance)".padEnd(34)} ${sharpness.toPrecision(4).padStart(10)}   real faces ${realSharpness.toPrecision(4)} (ratio ${(sharpness / realSharpness).toFixed(2)})`)
  console.log(`look at: ${join(run.dirOf("samples"), "grid.png")} and ${join(run.dirOf("curves"), "fid.png")}`)
  tf.dispose([samples, realImages, z])
  generator.dispose()
  return { run, metrics, sharpness, realSharpness }
}
