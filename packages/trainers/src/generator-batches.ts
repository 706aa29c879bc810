/**
 * A generator's images as a stream of batches from seeded latents — the one way the checkpoint metrics stage and the
 * trainer's live metrics sample a generator, so both see the same images for the same weights, count, batch size
 * and seed (and so give the same FID).
 */
import type * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import type { GeneratorDescription } from "./generator-description.ts"
import { disposeGeneratorInputs, generate, generatorInputs } from "./generator-sampling.ts"

/** `count` images of `generator` in batches of `batchSize`, latents (and cycling classes) drawn from `seed`. The consumer disposes each batch. */
export async function* generatorBatches(
  generator: tfl.LayersModel,
  description: GeneratorDescription,
  options: { readonly count: number; readonly batchSize: number; readonly seed: number },
): AsyncGenerator<tf.Tensor4D> {
  const inputs = generatorInputs(description, options.count, options.seed)
  try {
    for (let start = 0; start < options.count; start += options.batchSize) {
      yield generate(generator, inputs, start, Math.min(options.batchSize, options.count - start)) as tf.Tensor4D
    }
  } finally {
    disposeGeneratorInputs(inputs)
  }
}
