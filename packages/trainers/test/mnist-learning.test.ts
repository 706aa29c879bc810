import { initBackend } from "@ganflow/backend"
import { readMnist, sharedDataPath } from "@ganflow/data"
import { buildGan } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { beforeAll, describe, expect, it } from "vitest"
import { parseTrainConfig, type TrainingProgress, train } from "../src/index.ts"

// Backend: the plain cpu backend runs these MLPs at ~1 s per step on 2 cores (its matMul does ~1 GFLOP/s), too
// slow to show learning in CI time, so this test uses wasm as @ganflow/backend sets it up (~0.14 s per step).
// Model: the seeds' vanilla GAN in its Keras-GAN MNIST form (BN in G). The plain 500-500 MLP also learns, but in
// a 1,000-step probe it still hopped between 2-4 digit classes (the classic early mode collapse of MLP GANs);
// the BN variant covers every class within 200 steps.
const STEPS = Number(process.env["GANFLOW_MNIST_STEPS"] ?? 200)
const SEED = 1

let images: tf.Tensor4D
let labels: Int32Array

beforeAll(async () => {
  await initBackend({ backend: "wasm", threads: 2 })
  const dir = sharedDataPath("datasets", "mnist")
  const mnist = readMnist(`${dir}/t10k-images-idx3-ubyte.gz`, `${dir}/t10k-labels-idx1-ubyte.gz`)
  images = tf.tensor4d(Float32Array.from(mnist.images.data as Uint8Array, (v) => v / 127.5 - 1), [mnist.labels.length, 28, 28, 1])
  labels = Int32Array.from(mnist.labels)
}, 60_000)

/** A small MLP digit classifier trained on the first 8,000 images of the split; accuracy on the last 2,000. */
const trainClassifier = async () => {
  const classifier = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [28, 28, 1] }),
      tfl.layers.dense({ units: 128, activation: "relu", kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  })
  classifier.compile({ optimizer: tf.train.adam(1e-3), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] })
  const [trainX, testX] = tf.split(images, [8000, 2000])
  const trainY = tf.tensor1d(labels.slice(0, 8000), "float32")
  const testY = tf.tensor1d(labels.slice(8000), "float32")
  await classifier.fit(trainX!, trainY, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 })
  const [, acc] = classifier.evaluate(testX!, testY, { batchSize: 500 }) as tf.Scalar[]
  const accuracy = acc!.dataSync()[0]!
  tf.dispose([trainX, testX, trainY, testY, acc])
  return { classifier, accuracy }
}

/** Class histogram and mean top-class probability the classifier gives 1,000 samples of `generator`. */
const judgeSamples = (generator: tfl.LayersModel, classifier: tfl.LayersModel) =>
  tf.tidy(() => {
    const z = tf.randomNormal([1000, 100], 0, 1, "float32", 42)
    const probabilities = classifier.predict(generator.predict(z, { batchSize: 250 }) as tf.Tensor) as tf.Tensor2D
    const classes = tf.cast(tf.argMax(probabilities, 1), "int32") as tf.Tensor1D
    return {
      counts: Array.from(tf.bincount(classes, tf.tensor1d([], "float32"), 10).dataSync()),
      confidence: tf.mean(tf.max(probabilities, 1)).dataSync()[0]!,
    }
  })

describe("vanilla GAN (Keras MNIST form) on the real MNIST test split", () => {
  it(`learns in ${STEPS} steps: losses leave their initial values and samples cover all 10 digit classes`, async () => {
    const progress: TrainingProgress[] = []
    const config = { model: { architecture: "keras-mnist" }, steps: STEPS, batchSize: 64, seed: SEED } as const
    const trained = await train({ config: parseTrainConfig(config), data: { images }, onProgress: (p) => void progress.push(p) })
    const mean = (xs: TrainingProgress[], key: "discriminator" | "generator") => xs.reduce((a, p) => a + p.losses[key], 0) / xs.length
    const start = { d: mean(progress.slice(0, 3), "discriminator"), g: mean(progress.slice(0, 3), "generator") }
    const end = { d: mean(progress.slice(-20), "discriminator"), g: mean(progress.slice(-20), "generator") }
    // at initialisation D cannot tell real from fake: D loss ~ 2 ln 2 = 1.386, G loss ~ ln 2 = 0.693
    expect(Math.abs(start.d - 2 * Math.LN2)).toBeLessThan(0.35)
    expect(Math.abs(end.d - start.d)).toBeGreaterThan(0.2)
    expect(Math.abs(end.g - start.g)).toBeGreaterThan(0.2)

    const { classifier, accuracy } = await trainClassifier()
    expect(accuracy).toBeGreaterThan(0.9)
    const untrained = buildGan({ architecture: "keras-mnist" }, SEED) // the same initial weights as the run
    const before = judgeSamples(untrained.generator, classifier)
    const after = judgeSamples(trained.models.generator, classifier)
    console.log(
      `MNIST GAN, ${STEPS} steps: D ${start.d.toFixed(3)} -> ${end.d.toFixed(3)}, G ${start.g.toFixed(3)} -> ${end.g.toFixed(3)}; ` +
        `classifier accuracy ${accuracy.toFixed(3)}; samples per class before [${before.counts}] after [${after.counts}]; ` +
        `mean confidence ${before.confidence.toFixed(3)} -> ${after.confidence.toFixed(3)}`,
    )
    for (const c of after.counts) expect(c).toBeGreaterThanOrEqual(5) // every digit class, >= 0.5% of 1,000 samples
    expect(after.confidence).toBeGreaterThan(before.confidence) // samples look more like digits than at the start
    for (const m of [untrained.generator, untrained.discriminator, classifier]) m.dispose()
    trained.dispose()
  }, 400_000)
})
