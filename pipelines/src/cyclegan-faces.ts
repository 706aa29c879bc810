/**
 * cyclegan-faces — unpaired image-to-image translation (Zhu et al. 2017): colour anime faces (A) ↔ sepia-ink faces
 * (B), two domains drawn from different faces, so no picture is ever seen in both styles.
 *
 *   data (domains A and B, stored at the jitter's load size) -> train (CycleGAN: two ResNet generators, two 70x70
 *        PatchGANs, least squares + cycle λ=10 + identity 0.5·λ, 50-image history buffers, LR constant then
 *        linearly decayed) -> metrics (per checkpoint: FID of A→B vs real B and of B→A vs real A, seeded random CNN)
 *                          -> grids (A → B → A | B → A → B per checkpoint, progress GIF)
 *                          -> curves (losses; FIDs over checkpoints)
 *                          -> demo (colour → ink in the browser)
 *
 * Default: 32x32 (stored at 36), ResNet generators with ngf 16 and 6 blocks, batch 1 as the paper, 1,500 steps,
 * sized for 2 CPU cores. `--set data.dir=<folder>` reads CycleGAN's `trainA`/`trainB`/`testA`/`testB` layout.
 * `--profile full` is the paper's 256x256 setup (9 blocks) for a GPU.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { unpairedSource } from "@ganflow/data/stages"
import { trainCyclegan } from "@ganflow/trainers/stages"
import { translationDemo } from "@ganflow/viz/stages"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderTranslations } from "../stages/translation/render-translations-stage.ts"
import { translationMetrics } from "../stages/translation/translation-metrics-stage.ts"

const data = unpairedSource.as("data", { params: { cropSize: 32, synthetic: { trainCountA: 1000, trainCountB: 1000, testCount: 100 } }, inputs: { images: folderFromDir } })
const train = trainCyclegan.as("train", {
  params: {
    size: 32,
    generator: { ngf: 16, blocks: 6 },
    discriminator: { ndf: 16, layers: 2 },
    steps: 1500,
    // the paper's rate: constant for the first half of the run, then linearly towards 0
    learningRateSchedule: { kind: "linear-decay", startStep: 750 },
    batchSize: 1,
    checkpointEvery: 250,
    logEvery: 10,
    seed: 0,
  },
  inputs: { data },
})
const networks = { forward: "generatorAB", backward: "generatorBA" }
const metrics = translationMetrics.as("metrics", { params: { extractor: "random-cnn", ...networks }, inputs: { training: train, data } })
const grids = renderTranslations.as("grids", { params: { count: 6, ...networks }, inputs: { training: train, data } })
const curves = renderCurves.as("curves", { inputs: { training: train, metrics } })
const demo = translationDemo.as("demo", { params: { title: "CycleGAN: colour to sepia ink", network: "generatorAB", from: "colour face", to: "sepia ink" }, inputs: { training: train, data } })

export default pipeline({
  name: "cyclegan-faces",
  description: "CycleGAN colour <-> sepia-ink faces (32x32 on CPU, 256x256 in the full profile): A->B->A grids, GIF, FID curves, browser demo",
  stages: [data, train, metrics, grids, curves, demo],
  results: ["grids/grid.png", "grids/progress.gif", "curves/fid-ab.png", "curves/fid-ba.png", "curves/losses.png", "demo/index.html"],
  profiles: {
    /** The paper's setup, for a GPU: 256x256 (jitter from 286), ngf/ndf 64, 9 residual blocks, 3-layer PatchGAN, batch 1, 200 epochs of 1,000 images. */
    full: {
      data: { cropSize: 256 },
      train: { size: 256, generator: { ngf: 64, blocks: 9 }, discriminator: { ndf: 64, layers: 3 }, batchSize: 1, steps: 200000, learningRateSchedule: { kind: "linear-decay", startStep: 100000 }, checkpointEvery: 10000, logEvery: 100 },
    },
  },
})
