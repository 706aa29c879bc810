/**
 * cgan-digits — a class-conditional GAN on 28x28 digits: G draws the digit it is asked for (cGAN, Mirza & Osindero
 * 2014) and D has an auxiliary class head (ACGAN, Odena et al. 2017), so the grid draws one row per digit 0..9
 * (row r is class r, the columns share latents). IS/FID/KID of every
 * checkpoint come from a LeNet classifier trained in the same pipeline.
 *
 *   data -> classifier (LeNet on the labelled digits: the `mnist-lenet` extractor)
 *   data + classifier -> reference (feature statistics of the real digits)
 *   data -> train (MLP ACGAN, a generator snapshot per checkpoint) -> metrics (IS/FID/KID; classes cycle 0..9)
 *                                                                -> samples (one row per class, per checkpoint)
 *                                                                -> curves (losses; metrics over checkpoints)
 *
 *   nx run pipelines:cgan-digits                                         # built-in digits, ~2-3 min on 2 cores (first run)
 *   nx run pipelines:cgan-digits --set data.dir=../shared/datasets/mnist  # MNIST IDX files (train, else t10k)
 *   nx run pipelines:cgan-digits --set train.model.options.auxiliaryClassifier=false  # plain cGAN: D sees the label
 *   nx run pipelines:cgan-digits --watch   # then edit metrics.* params: only metrics (and curves) rerun
 *
 * IS/FID/KID use this pipeline's own LeNet (`fid@mnist-lenet`): they compare checkpoints and runs of this
 * pipeline, not published Inception numbers.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { checkpointMetrics, featureClassifier, referenceStats } from "@ganflow/metrics/stages"
import { trainGan } from "@ganflow/trainers/stages"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"
import { digitSource } from "@ganflow/data/stages"

// a third held out (2,000 built-in digits, as many as the metrics sample): the floor of every metric curve
const data = digitSource.as("data", { params: { count: 6000, holdoutFraction: 1 / 3 }, inputs: { idx: folderFromDir } })
const classifier = featureClassifier.as("classifier", { params: { steps: 300, batchSize: 64 }, inputs: { dataset: data } })
const reference = referenceStats.as("reference", { params: { extractor: "mnist-lenet", sampleCap: 2000 }, inputs: { dataset: data, classifier } })
const train = trainGan.as("train", {
  params: {
    // The label goes into G (a learned 50-wide embedding concatenated to z); D gets an auxiliary class head
    // (ACGAN, Odena et al. 2017) rather than the label as an input. With the plain cGAN D (label concatenated
    // to the pixels, Mirza & Osindero) G still ignored the label after 1,500 steps here: rows were mixed
    // digits and the LeNet agreed with the asked class 10% of the time (chance). With the class head the
    // rows are the asked digits (96% agreement) and IS@mnist-lenet ~8.8. Widths 128-256-512 (the Keras-GAN
    // 256-512-1024 halved) and batch 32 with G at 4e-4 keep 1,500 steps near a minute on 2 CPU cores.
    // `--set train.model.options.auxiliaryClassifier=false` trains the plain cGAN.
    model: { architecture: "conditional", options: { numClasses: 10, hidden: [128, 256, 512], auxiliaryClassifier: true } },
    steps: 1500,
    batchSize: 32,
    generatorLearningRate: 0.0004,
    checkpointEvery: 250,
    seed: 0,
  },
  inputs: { dataset: data },
})
const metrics = checkpointMetrics.as("metrics", {
  params: { metrics: ["is", "fid", "kid"], samples: 2000, sampleCap: 2000, kidSubsetSize: 500, kidSubsets: 50 },
  inputs: { reference, training: train, classifier, heldOut: data },
})
// 10 columns x one row per class
const samples = renderSamples.as("samples", { params: { count: 100, interpolationRows: 10 }, inputs: { training: train } })
const curves = renderCurves.as("curves", { inputs: { training: train, metrics } })

export default pipeline({
  name: "cgan-digits",
  description: "conditional MLP GAN on 28x28 digits (built-in or MNIST IDX): one grid row per class, IS/FID/KID from a LeNet trained here",
  stages: [data, classifier, reference, train, metrics, samples, curves],
  results: ["samples/grid.png", "samples/progress.gif", "samples/interpolation.png", "curves/is.png", "curves/fid.png", "curves/losses.png"],
  profiles: {
    /** Full MNIST scale (for the 60k training split): Keras-GAN widths, Adam 2e-4 for both, 30 epochs at batch 64 ≈ 28k steps, 10k samples per metric. */
    full: {
      train: {
        model: { architecture: "conditional", options: { numClasses: 10, hidden: [256, 512, 1024], auxiliaryClassifier: true } },
        batchSize: 64,
        generatorLearningRate: 0.0002,
        steps: 28000,
        checkpointEvery: 2000,
      },
      classifier: { steps: 3000 },
      reference: { sampleCap: 10000 },
      metrics: { samples: 10000, sampleCap: 10000, kidSubsetSize: 1000, kidSubsets: 100 },
    },
  },
})
