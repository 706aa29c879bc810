/**
 * wgan-gp-anime — WGAN-GP (Gulrajani et al. 2017) on anime faces: the DCGAN generator against a critic with
 * layer norm instead of batch norm (batch norm breaks the per-sample gradient penalty), Wasserstein loss plus the
 * gradient penalty (λ = 10), 5 critic updates per generator update, Adam with β = (0.5, 0.9).
 * Default (2 CPU cores): dcgan-anime's 32x32 faces, data, reference and FID settings (so both FIDs are on the same
 * extractor, reference statistics and sample count), G and critic 32 wide, batch 64, Adam 2e-4 for both players,
 * 400 generator steps (2,000 critic steps). `--profile full` is the paper's 64x64 setup (Adam 1e-4) for a GPU.
 * The same stages as dcgan-anime: data, reference statistics, training with a generator snapshot per checkpoint,
 * FID/KID over checkpoints, grids + GIF + interpolation strip, curves (critic loss, generator loss, penalty), demo.
 * Default: built-in synthetic faces at CPU size; `--set data.dir=<folder>` for real faces; `--profile full` for a GPU.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { checkpointMetrics, referenceStats } from "@ganflow/metrics/stages"
import { trainGan } from "@ganflow/trainers/stages"
import { webDemo } from "@ganflow/viz/stages"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"
import { imageSource } from "@ganflow/data/stages"

// a fifth held out (1,000 faces, as many as each FID samples): the floor of the FID/KID curves
const data = imageSource.as("data", { params: { size: 32, holdoutFraction: 0.2, synthetic: { kind: "anime-faces", count: 5000 } }, inputs: { images: folderFromDir } })
const reference = referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 2000 }, inputs: { dataset: data } })
const train = trainGan.as("train", {
  params: {
    // sized for 2 CPU cores: a generator step with its 5 critic steps (each with the penalty's double backprop,
    // bench/wgan-gp-step-cost.ts) takes ~0.78 s on the native backend, so the 400 steps train in ~6 minutes and
    // reach FID 0.089 on dcgan-anime's extractor and reference (dcgan-anime's 1,000 steps: 0.42)
    model: { architecture: "dcgan", options: { resolution: 32, ngf: 32, ndf: 32 }, critic: "wgan-layer-norm" },
    loss: "wgan-gp",
    gradientPenaltyWeight: 10,
    discriminatorSteps: 5,
    generatorLearningRate: 0.0002,
    discriminatorLearningRate: 0.0002,
    adam: { beta1: 0.5, beta2: 0.9 },
    steps: 400,
    batchSize: 64,
    checkpointEvery: 100,
    sampleEvery: 50,
    seed: 0,
  },
  inputs: { dataset: data },
})
const fid = checkpointMetrics.as("fid", { params: { metrics: ["fid", "kid"], samples: 1000, sampleCap: 1000, kidSubsetSize: 500, kidSubsets: 50 }, inputs: { reference, training: train, heldOut: data } })
const samples = renderSamples.as("samples", { params: { count: 64 }, inputs: { training: train } })
const curves = renderCurves.as("curves", { inputs: { training: train, metrics: fid } })
const demo = webDemo.as("demo", { params: { title: "WGAN-GP on anime faces" }, inputs: { training: train } })

export default pipeline({
  name: "wgan-gp-anime",
  description: "WGAN-GP (layer-norm critic, gradient penalty) on anime faces (32x32 on CPU, 64x64 in the full profile), with the dcgan-anime outputs",
  stages: [data, reference, train, fid, samples, curves, demo],
  results: ["samples/grid.png", "samples/progress.gif", "samples/interpolation.png", "curves/fid.png", "curves/losses.png", "demo/index.html"],
  profiles: {
    /** Gulrajani et al.'s setup for a GPU: width 64, batch 64, 20k generator steps, 10k samples per FID. */
    full: {
      data: { size: 64 },
      train: {
        model: { architecture: "dcgan", options: { resolution: 64, ngf: 64, ndf: 64 }, critic: "wgan-layer-norm" },
        generatorLearningRate: 0.0001,
        discriminatorLearningRate: 0.0001,
        batchSize: 64,
        steps: 20000,
        checkpointEvery: 2000,
        sampleEvery: 2000,
      },
      fid: { samples: 10000, sampleCap: 10000, kidSubsetSize: 1000, kidSubsets: 100 },
      reference: { sampleCap: 10000 },
    },
  },
})
