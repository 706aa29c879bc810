/**
 * Sampling the generators of the text-to-image training stages for metrics and pictures. A text generator takes
 * `[z, φ(t)]` (GAN-CLS) or `[z, φ(t), ε]` (StackGAN Stage-I, ε the conditioning-augmentation noise) and returns the
 * image (StackGAN: `[image, μ, log σ]`). The conditions the samplers draw are the φ(t) of the training captions,
 * which the training stages keep beside their generators as `conditioning.gfemb`.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { readCaptionEmbeddings, SeededRandom } from "@ganflow/data"
import type { CheckpointSampler } from "@ganflow/metrics/stages"
import { loadGenerator, readGeneratorSnapshots, sampleLatents } from "@ganflow/trainers"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"

/** The φ(t) of every training caption, in a training stage's output. */
export const CONDITIONING_FILE = "conditioning.gfemb"

/**
 * Images `[N, H, W, 3]` in [-1, 1] from a text generator in inference mode, for latents `z` `[N, latentDim]` and
 * conditions `text` `[N, D]`; a generator with a third input (StackGAN) gets `epsilon` (default: zeros, the mean
 * condition). The caller owns the result.
 * @throws Error when the generator's inputs are not `[z, φ(t)]` or `[z, φ(t), ε]` of these widths.
 */
export const generateFromText = (generator: tfl.LayersModel, z: tf.Tensor2D, text: tf.Tensor2D, epsilon?: tf.Tensor2D): tf.Tensor4D =>
  tf.tidy(() => {
    const shapes = generator.inputs.map((i) => i.shape)
    if ((shapes.length !== 2 && shapes.length !== 3) || shapes[0]![1] !== z.shape[1] || shapes[1]![1] !== text.shape[1]) {
      throw new Error(`${generator.name} takes inputs ${JSON.stringify(shapes)}; a text generator G([z, φ(t)(, ε)]) of latents ${z.shape[1]} and φ(t) ${text.shape[1]} was expected`)
    }
    const inputs = shapes.length === 2 ? [z, text] : [z, text, epsilon ?? tf.zeros([z.shape[0], shapes[2]![1] as number])]
    const out = generator.predict(inputs) as tf.Tensor | tf.Tensor[]
    return (Array.isArray(out) ? out[0]! : out) as tf.Tensor4D
  })

/**
 * For checkpoint metrics (FID/KID…) of a text-to-image training stage: its generator snapshots, each sampled on
 * `count` training captions drawn with `seed` (with replacement), latents and ε ~ N(0, I) from the same stream, so
 * every checkpoint sees the same conditions and noise.
 */
export const textCheckpointSampler: CheckpointSampler = {
  range: "[-1,1]",
  list: async (training) => readGeneratorSnapshots(training.dir),
  sample: (training: UpstreamOutput<unknown>, checkpoint, options) => ({
    async *[Symbol.asyncIterator]() {
      const conditioning = readCaptionEmbeddings(training.path(CONDITIONING_FILE))
      const generator = await loadGenerator(training, checkpoint.id)
      try {
        const latentDim = generator.inputs[0]!.shape[1] as number
        const epsilonDim = generator.inputs.length === 3 ? (generator.inputs[2]!.shape[1] as number) : 0
        const random = new SeededRandom(options.seed)
        for (let start = 0; start < options.count; start += options.batchSize) {
          const n = Math.min(options.batchSize, options.count - start)
          const rows = Array.from({ length: n }, () => random.int(conditioning.rows))
          const text = tf.tensor2d(Float32Array.from(rows.flatMap((r) => Array.from(conditioning.values.subarray(r * conditioning.dim, (r + 1) * conditioning.dim)))), [n, conditioning.dim])
          const z = sampleLatents(random, n, latentDim)
          const epsilon = epsilonDim > 0 ? sampleLatents(random, n, epsilonDim) : undefined
          try {
            yield generateFromText(generator, z, text, epsilon)
          } finally {
            tf.dispose([text, z, ...(epsilon ? [epsilon] : [])])
          }
        }
      } finally {
        generator.dispose()
      }
    },
  }),
}
