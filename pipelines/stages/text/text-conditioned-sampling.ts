/**
 * Sampling the generators of the text-to-image training stages, for metrics and pictures. A text generator is one of
 * - GAN-CLS: `G([z, φ(t)]) -> image`;
 * - StackGAN Stage-I: `G([z, φ(t), ε]) -> [image, μ, log σ]` (ε the conditioning-augmentation noise);
 * - StackGAN Stage-II after a frozen Stage-I: `G₂([G₁([z, φ(t), ε₁])[0], φ(t), ε₂]) -> [image, μ, log σ]`, the
 *   Stage-I generator kept in the Stage-II training output as `stage1-generator/`.
 * The conditions the samplers draw are the φ(t) of the training captions, which the training stages keep beside
 * their generators as `conditioning.gfemb`.
 */
import type { UpstreamOutput } from "@ganflow/core"
import { readCaptionEmbeddings, SeededRandom } from "@ganflow/data"
import type { CheckpointSampler, TextConditionedSampler } from "@ganflow/metrics/stages"
import { loadGenerator, loadGeneratorFrom, readGeneratorSnapshots, sampleLatents } from "@ganflow/trainers"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { existsSync } from "node:fs"
import { embeddingRows } from "./text-to-image-rows.ts"

/** The φ(t) of every training caption, in a training stage's output. */
export const CONDITIONING_FILE = "conditioning.gfemb"
/** The frozen Stage-I generator a Stage-II training output keeps, to sample its snapshots from text. */
export const STAGE1_GENERATOR_DIR = "stage1-generator"

/** A loaded text-to-image generator (one network or a Stage-I -> Stage-II chain). Call {@link dispose}. */
export interface TextImageGenerator {
  /** Width of z (the first network's latent). */
  readonly latentDim: number
  /** Width of φ(t). */
  readonly embeddingDim: number
  /** Widths of the ε each network of the chain takes, in order (none for GAN-CLS). */
  readonly noiseDims: readonly number[]
  /**
   * Images of every network of the chain, in order (the last is the final image), `[N, H, W, 3]` in [-1, 1], in
   * inference mode, for `z` `[N, latentDim]`, `text` `[N, D]` and one `[N, noiseDims[i]]` ε per network.
   * The caller owns the results.
   */
  readonly generate: (z: tf.Tensor2D, text: tf.Tensor2D, noise: readonly tf.Tensor2D[]) => tf.Tensor4D[]
  readonly dispose: () => void
}

const imageOf = (out: tf.Tensor | tf.Tensor[]): tf.Tensor4D => (Array.isArray(out) ? out[0]! : out) as tf.Tensor4D

/**
 * Loads the generator `id` (`final` or a snapshot id) of a text-to-image training output, with its Stage-I
 * generator when the output has one.
 * @throws Error when the generator's inputs are not those of a text generator.
 */
export const loadTextImageGenerator = async (training: UpstreamOutput<unknown>, id: string): Promise<TextImageGenerator> => {
  const last = await loadGenerator(training, id)
  const stage1Dir = training.path(STAGE1_GENERATOR_DIR)
  const chain: tfl.LayersModel[] = existsSync(stage1Dir) ? [await loadGeneratorFrom(stage1Dir), last] : [last]
  const first = chain[0]!
  const shapes = first.inputs.map((i) => i.shape)
  if (shapes.length !== 2 && shapes.length !== 3) {
    chain.forEach((g) => g.dispose())
    throw new Error(`${training.stage}/${id}: ${first.name} takes inputs ${JSON.stringify(shapes)}, not those of a text generator G([z, φ(t)(, ε)])`)
  }
  const noiseDims = chain.flatMap((g) => (g.inputs.length === 3 ? [g.inputs[2]!.shape[1] as number] : []))
  return {
    latentDim: shapes[0]![1] as number,
    embeddingDim: shapes[1]![1] as number,
    noiseDims,
    generate: (z, text, noise) =>
      tf.tidy(() => {
        const images: tf.Tensor4D[] = []
        let k = 0
        chain.forEach((g, i) => {
          const lead = i === 0 ? z : images[i - 1]!
          images.push(imageOf(g.predict(g.inputs.length === 3 ? [lead, text, noise[k++]!] : [lead, text]) as tf.Tensor | tf.Tensor[]))
        })
        return images
      }),
    dispose: () => chain.forEach((g) => g.dispose()),
  }
}

/** Draws z and every ε of `generator` for `n` samples from `random`, in a fixed order (z, then each ε). */
export const drawTextGeneratorNoise = (generator: TextImageGenerator, random: SeededRandom, n: number): { z: tf.Tensor2D; noise: tf.Tensor2D[] } => ({
  z: sampleLatents(random, n, generator.latentDim),
  noise: generator.noiseDims.map((d) => sampleLatents(random, n, d)),
})

/**
 * Batches of final images of `generator` for `count` conditions, `batchSize` at a time; `conditions(start, n)` gives
 * rows start..start+n−1 as `[n, D]` (freed here), and z, ε are drawn from `random` after each batch's conditions.
 * The consumer disposes each batch.
 */
async function* finalImageBatches(
  generator: TextImageGenerator,
  random: SeededRandom,
  count: number,
  batchSize: number,
  conditions: (start: number, n: number) => tf.Tensor2D,
): AsyncGenerator<tf.Tensor4D> {
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start)
    const text = conditions(start, n)
    const { z, noise } = drawTextGeneratorNoise(generator, random, n)
    try {
      const images = generator.generate(z, text, noise)
      tf.dispose(images.slice(0, -1))
      yield images.at(-1)!
    } finally {
      tf.dispose([text, z, ...noise])
    }
  }
}

/**
 * For checkpoint metrics (FID/KID…) of a text-to-image training stage: its generator snapshots, each sampled on
 * `count` training captions drawn with `seed` (with replacement), z and ε ~ N(0, I) from the same stream, so every
 * checkpoint sees the same conditions and noise.
 */
export const textCheckpointSampler: CheckpointSampler = {
  range: "[-1,1]",
  list: async (training) => readGeneratorSnapshots(training.dir),
  sample: (training, checkpoint, options) => ({
    async *[Symbol.asyncIterator]() {
      const conditioning = readCaptionEmbeddings(training.path(CONDITIONING_FILE))
      const generator = await loadTextImageGenerator(training, checkpoint.id)
      try {
        const random = new SeededRandom(options.seed)
        yield* finalImageBatches(generator, random, options.count, options.batchSize, (_start, n) =>
          embeddingRows(conditioning, Array.from({ length: n }, () => random.int(conditioning.rows))),
        )
      } finally {
        generator.dispose()
      }
    },
  }),
}

/**
 * For caption agreement (`@ganflow/metrics`' `defineCaptionAgreementStage`) of any text generator above, StackGAN's
 * included: one image per given φ(t) row, z and ε drawn from the metric's seed.
 */
export const textAgreementSampler: TextConditionedSampler = {
  list: async (training) => readGeneratorSnapshots(training.dir),
  sample: (training, checkpoint, options) => ({
    async *[Symbol.asyncIterator]() {
      const generator = await loadTextImageGenerator(training, checkpoint.id)
      try {
        if (generator.embeddingDim !== options.dim) throw new Error(`${training.stage}/${checkpoint.id} takes φ(t) of ${generator.embeddingDim}, the captions' are ${options.dim} wide`)
        const rows = options.embeddings.length / options.dim
        yield* finalImageBatches(generator, new SeededRandom(options.seed), rows, options.batchSize, (start, n) =>
          tf.tensor2d(options.embeddings.subarray(start * options.dim, (start + n) * options.dim), [n, options.dim]),
        )
      } finally {
        generator.dispose()
      }
    },
  }),
}
