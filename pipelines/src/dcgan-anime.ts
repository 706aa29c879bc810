/**
 * dcgan-anime — the main job: a DCGAN (Radford et al. 2016) on 64x64 anime faces.
 *
 *   data -> reference (feature statistics of the real faces)
 *   data -> train (DCGAN, a generator snapshot per checkpoint) -> fid (FID/KID of every checkpoint vs reference)
 *                                                                -> samples (grid per checkpoint, progress GIF)
 *                                                                -> curves (losses; FID/KID over checkpoints)
 *                                                                -> demo (the generator in a static web page)
 *
 * Default: the built-in synthetic faces and a small DCGAN-64 (G width 32, D width 16, batch 32, 600 steps) that
 * trains in ~4 minutes on 2 CPU cores; at 600 steps it is on the edge of drawing faces (see the README: one float
 * order does, others collapse), 3,000 steps on real faces do.
 * `--set data.dir=../shared/datasets/anime-faces-64` trains on a folder of real faces; `--profile full` is the
 * paper's setup (ngf/ndf 64, batch 128, lr 2e-4, β1 0.5) for a GPU. FID/KID use a seeded random CNN's features
 * (no weights to download; the extractor is named in every metric key), so they track this run's progress but are
 * not comparable with published Inception FIDs; the reference-stats and checkpoint-metrics stages take a converted
 * Inception-v3 folder (`inceptionModel` input) for those.
 */
import { pipeline } from "@ganflow/core"
import { referenceStats } from "@ganflow/metrics/stages/index"
import { trainGan } from "@ganflow/trainers/stages/index"
import { webDemo } from "@ganflow/viz/stages/index"
import { checkpointMetrics } from "../stages/gan/checkpoint-metrics-stage.ts"
import { imageSource, imageSourceFolder } from "../stages/gan/image-source-stage.ts"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"

export default pipeline({
  name: "dcgan-anime",
  description: "DCGAN on 64x64 anime faces: checkpoints, FID/KID curve, sample grids, progress GIF, report",
  stages: [
    imageSource.as("data", { params: { size: 64, synthetic: { kind: "anime-faces", count: 4000 } }, inputs: { images: imageSourceFolder } }),
    referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 2000 }, inputs: { dataset: "data" } }),
    trainGan.as("train", {
      params: {
        // small for CPU: G wider than D, D slower (lr 1e-4) with one-sided label smoothing (real label 0.9),
        // so D does not win the first hundred steps outright (with ngf = ndf = 16 and the paper's rates it
        // does, and 600 steps leave G at grey noise); still fragile at 600 steps, see the README
        model: { architecture: "dcgan", options: { resolution: 64, ngf: 32, ndf: 16 } },
        steps: 600,
        batchSize: 32,
        discriminatorLearningRate: 0.0001,
        tricks: { realLabel: 0.9 },
        checkpointEvery: 100,
        seed: 0,
      },
      inputs: { dataset: "data" },
    }),
    checkpointMetrics.as("fid", { params: { metrics: ["fid", "kid"], samples: 1000, sampleCap: 1000, kidSubsetSize: 500, kidSubsets: 50 }, inputs: { reference: "reference", training: "train" } }),
    renderSamples.as("samples", { params: { count: 64 }, inputs: { training: "train" } }),
    renderCurves.as("curves", { inputs: { training: "train", metrics: "fid" } }),
    webDemo.as("demo", { params: { title: "DCGAN on anime faces" }, inputs: { training: "train" } }),
  ],
  results: ["samples/grid.png", "samples/progress.gif", "samples/interpolation.png", "curves/fid.png", "curves/losses.png", "demo/index.html"],
  profiles: {
    /** The DCGAN paper's setup, for a GPU: full width, batch 128, 25 epochs of 20k faces ≈ 4k steps, 10k samples per FID. */
    full: {
      "train.model": { architecture: "dcgan", options: { resolution: 64, ngf: 64, ndf: 64 } },
      "train.batchSize": 128,
      "train.discriminatorLearningRate": 0.0002,
      "train.tricks": { realLabel: 1 },
      "train.steps": 4000,
      "train.checkpointEvery": 500,
      "fid.samples": 10000,
      "fid.sampleCap": 10000,
      "fid.kidSubsetSize": 1000,
      "fid.kidSubsets": 100,
      "reference.sampleCap": 10000,
    },
  },
})
