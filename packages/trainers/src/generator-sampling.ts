/**
 * Reading the generators a `train-gan` stage exported — the final one (`generator/`) and one per checkpoint
 * (`checkpoints/<id>/`, listed in `checkpoints.json`), each with its `gan.json` — and sampling them with seeded
 * latents, the same latents for every checkpoint so that grids and metrics over checkpoints compare like with like.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { SeededRandom } from "@ganflow/data"
import { fileSystemModelLoader } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { GENERATOR_SNAPSHOTS_DIR } from "./checkpoint-generator.ts"
import type { GeneratorDescription } from "./generator-description.ts"
import { sampleLatents } from "./latent-sampler.ts"
import type { TrainGanResult } from "./stages/train-gan-stage.ts"

/** The generator a checkpoint id names: a snapshot id (`step-000200`) or `final`. */
export const FINAL_GENERATOR = "final"

/** Folder of a training output holding the generator `id` (see {@link FINAL_GENERATOR}). */
export const generatorDir = (training: UpstreamOutput<unknown>, id: string): string =>
  id === FINAL_GENERATOR ? training.path("generator") : training.path(`${GENERATOR_SNAPSHOTS_DIR}/${id}`)

/** How to sample the training stage's generators (from its returned value). */
export const generatorDescriptionOf = (training: UpstreamOutput<TrainGanResult>): GeneratorDescription => training.value.generator

/** Loads the generator exported in `dir` (`model.json` + weights). The caller disposes the model. */
export const loadGeneratorFrom = (dir: string): Promise<tfl.LayersModel> => tfl.loadLayersModel(fileSystemModelLoader(dir))

/** Loads generator `id` of a training output. The caller disposes the model. */
export const loadGenerator = (training: UpstreamOutput<unknown>, id: string): Promise<tfl.LayersModel> => loadGeneratorFrom(generatorDir(training, id))

/** Seeded inputs of a generator: `count` latents and, for conditional models, labels. The caller disposes them. */
export interface GeneratorInputs {
  readonly latents: tf.Tensor2D
  readonly labels: tf.Tensor2D | undefined
}

/**
 * `count` standard-normal latents drawn from `seed`; conditional models get labels too: `labelsPerRow` set puts
 * class `⌊i / labelsPerRow⌋ mod numClasses` on sample i (one row per class in a grid), otherwise classes cycle.
 */
export const generatorInputs = (description: GeneratorDescription, count: number, seed: number, labelsPerRow?: number): GeneratorInputs => {
  const latents = sampleLatents(new SeededRandom(seed), count, description.latentDim)
  if (description.numClasses === null) return { latents, labels: undefined }
  const classes = description.numClasses
  const values = Float32Array.from({ length: count }, (_, i) => (labelsPerRow === undefined ? i % classes : Math.floor(i / labelsPerRow) % classes))
  return { latents, labels: tf.tensor2d(values, [count, 1]) }
}

/** Disposes the tensors of {@link generatorInputs}. */
export const disposeGeneratorInputs = (inputs: GeneratorInputs): void => tf.dispose([inputs.latents, ...(inputs.labels ? [inputs.labels] : [])])

/** Runs `generator` in inference mode on `inputs` (rows `[start, start + size)`), giving `[size, ...sampleShape]`. */
export const generate = (generator: tfl.LayersModel, inputs: GeneratorInputs, start = 0, size = inputs.latents.shape[0]): tf.Tensor =>
  tf.tidy(() => {
    const z = tf.slice(inputs.latents, [start, 0], [size, -1])
    const feed = inputs.labels ? [z, tf.slice(inputs.labels, [start, 0], [size, -1])] : z
    return generator.predict(feed) as tf.Tensor
  })
