/**
 * cgan-digits — a conditional GAN (Mirza & Osindero 2014) on 28x28 digits: G and D both see the class label, so
 * the grid draws one row per digit 0..9 (row r is class r, the columns share latents). IS/FID/KID of every
 * checkpoint come from a LeNet classifier trained in the same pipeline.
 *
 *   data -> classifier (LeNet on the labelled digits: the `mnist-lenet` extractor)
 *   data + classifier -> reference (feature statistics of the real digits)
 *   data -> train (MLP cGAN, a generator snapshot per checkpoint) -> metrics (IS/FID/KID; classes cycle 0..9)
 *                                                                -> samples (one row per class, per checkpoint)
 *                                                                -> curves (losses; metrics over checkpoints)
 *
 *   nx run pipelines:cgan-digits                                         # built-in digits, ~2-3 min on 2 cores
 *   nx run pipelines:cgan-digits --set data.dir=../shared/datasets/mnist  # MNIST IDX files (train, else t10k)
 *   nx run pipelines:cgan-digits --set train.model='{"architecture":"conditional","options":{"auxiliaryClassifier":true}}'  # ACGAN
 *   nx run pipelines:cgan-digits --watch   # then edit metrics.* params: only metrics (and curves) rerun
 *
 * IS/FID/KID use this pipeline's own LeNet (`fid@mnist-lenet`): they compare checkpoints and runs of this
 * pipeline, not published Inception numbers.
 */
import { folder, pipeline } from "@ganflow/core"
import { featureClassifier, referenceStats } from "@ganflow/metrics/stages/index"
import { trainGan } from "@ganflow/trainers/stages/index"
import { digitSource } from "../stages/digits/digit-source-stage.ts"
import { checkpointMetrics } from "../stages/gan/checkpoint-metrics-stage.ts"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"

export default pipeline({
  name: "cgan-digits",
  description: "conditional MLP GAN on 28x28 digits (built-in or MNIST IDX): one grid row per class, IS/FID/KID from a LeNet trained here",
  stages: [
    digitSource.as("data", { params: { count: 4000 }, inputs: { idx: (p) => (p.dir === "" ? null : folder(p.dir)) } }),
    featureClassifier.as("classifier", { params: { steps: 300, batchSize: 64 }, inputs: { dataset: "data" } }),
    referenceStats.as("reference", { params: { extractor: "mnist-lenet", sampleCap: 2000 }, inputs: { dataset: "data", classifier: "classifier" } }),
    trainGan.as("train", {
      params: {
        // the Keras-GAN cGAN: label embedding (50) concatenated to z and to the flattened image, G 256-512-1024
        // with LeakyReLU + BatchNorm, D 1024-512; the label tells G which digit, so it cannot drop classes
        model: { architecture: "conditional", options: { numClasses: 10 } },
        steps: 600,
        batchSize: 64,
        checkpointEvery: 100,
        seed: 0,
      },
      inputs: { dataset: "data" },
    }),
    checkpointMetrics.as("metrics", {
      params: { metrics: ["is", "fid", "kid"], samples: 2000, sampleCap: 2000, kidSubsetSize: 500, kidSubsets: 50 },
      inputs: { reference: "reference", training: "train", classifier: "classifier" },
    }),
    // 10 columns x one row per class
    renderSamples.as("samples", { params: { count: 100, interpolationRows: 10 }, inputs: { training: "train" } }),
    renderCurves.as("curves", { inputs: { training: "train", metrics: "metrics" } }),
  ],
  results: ["samples/grid.png", "samples/progress.gif", "samples/interpolation.png", "curves/is.png", "curves/fid.png", "curves/losses.png"],
  profiles: {
    /** Full MNIST scale (for the 60k training split): 30 epochs at batch 64 ≈ 28k steps, 10k samples per metric. */
    full: {
      "train.steps": 28000,
      "train.checkpointEvery": 2000,
      "classifier.steps": 3000,
      "reference.sampleCap": 10000,
      "metrics.samples": 10000,
      "metrics.sampleCap": 10000,
      "metrics.kidSubsetSize": 1000,
      "metrics.kidSubsets": 100,
    },
  },
})
