/**
 * dcgan-anime — the main job: a DCGAN (Radford et al. 2016) on 64x64 anime faces.
 *
 *   data -> reference (feature statistics of the real faces)
 *   data -> train (DCGAN, a generator snapshot per checkpoint) -> fid (FID/KID of every checkpoint vs reference)
 *                                                                -> samples (grid per checkpoint, progress GIF)
 *                                                                -> curves (losses; FID/KID over checkpoints)
 *                                                                -> demo (the generator in a static web page)
 *
 * Default: the built-in synthetic faces at 32x32 and the paper's DCGAN at that size (widths 32, batch 64, Adam 2e-4,
 * β1 0.5, 1,000 steps): ~3.5 minutes on 2 CPU cores, and it draws varied faces. `--profile full` is DCGAN-64.
 * `--set data.dir=../shared/datasets/anime-faces-64` trains on a folder of real faces; `--profile full` is the
 * paper's setup (ngf/ndf 64, batch 128, lr 2e-4, β1 0.5) for a GPU. FID/KID use a seeded random CNN's features
 * (no weights to download; the extractor is named in every metric key), so they track this run's progress but are
 * not comparable with published Inception FIDs; the reference-stats and checkpoint-metrics stages take a converted
 * Inception-v3 folder (`inceptionModel` input) for those.
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
    // sized for 2 CPU cores: the paper's DCGAN and rates at 32x32 (faces resized from 64) draw varied faces in
    // 1,000 steps (~3.5 min). A CPU-sized DCGAN-64 (G 32 / D 16, 600 steps) collapsed to one noise image in 6 of
    // 7 tries (thread counts, seeds, rates, minibatch stddev); `--profile full` is DCGAN-64 for a GPU.
    model: { architecture: "dcgan", options: { resolution: 32, ngf: 32, ndf: 32 } },
    steps: 1000,
    batchSize: 64,
    checkpointEvery: 100,
    seed: 0,
  },
  inputs: { dataset: data },
})
const fid = checkpointMetrics.as("fid", { params: { metrics: ["fid", "kid"], samples: 1000, sampleCap: 1000, kidSubsetSize: 500, kidSubsets: 50 }, inputs: { reference, training: train, heldOut: data } })
const samples = renderSamples.as("samples", { params: { count: 64 }, inputs: { training: train } })
const curves = renderCurves.as("curves", { inputs: { training: train, metrics: fid } })
const demo = webDemo.as("demo", { params: { title: "DCGAN on anime faces" }, inputs: { training: train } })

export default pipeline({
  name: "dcgan-anime",
  description: "DCGAN on anime faces (32x32 on CPU, 64x64 in the full profile): checkpoints, FID/KID curve, grids, GIF, report",
  stages: [data, reference, train, fid, samples, curves, demo],
  results: ["samples/grid.png", "samples/progress.gif", "samples/interpolation.png", "curves/fid.png", "curves/losses.png", "demo/index.html"],
  profiles: {
    /** The DCGAN paper's setup, for a GPU: full width, batch 128, 25 epochs of 20k faces ≈ 4k steps, 10k samples per FID. */
    full: {
      data: { size: 64 },
      train: { model: { architecture: "dcgan", options: { resolution: 64, ngf: 64, ndf: 64 } }, batchSize: 128, steps: 4000, checkpointEvery: 500 },
      fid: { samples: 10000, sampleCap: 10000, kidSubsetSize: 1000, kidSubsets: 100 },
      reference: { sampleCap: 10000 },
    },
  },
})
