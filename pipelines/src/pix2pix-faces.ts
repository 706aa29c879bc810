/**
 * pix2pix-faces — paired image-to-image translation (Isola et al. 2017): pencil sketches of the synthetic anime faces
 * → the faces, as edges2shoes is edges → photos.
 *
 *   data (sketch | face pairs, stored at the jitter's load size) -> train (pix2pix: U-Net + 70x70 PatchGAN,
 *        cGAN + 100·L1, random jitter) -> metrics (per checkpoint: FID of the translations vs real faces with a
 *        seeded random CNN, named in the key; L1, PSNR, SSIM against each sketch's own face)
 *                                      -> grids (sketch | output | face per checkpoint, progress GIF)
 *                                      -> curves (losses; metrics over checkpoints)
 *                                      -> demo (translate a chosen or uploaded sketch in the browser)
 *
 * Default: 64x64 (stored at 72, random crops of 64 and mirroring), U-Net with ngf 32 and instance norm, batch 1 as
 * the paper, 2,000 steps, sized for 2 CPU cores. `--set data.dir=<folder>` reads pix2pix's aligned layout (A|B side
 * by side, `train/` and `test/` or `val/`), `--set data.layout=folder-pairs` the `A/<split>`, `B/<split>` layout,
 * `--set data.direction=BtoA` translates the other way. `--profile full` is the paper's 256x256 setup for a GPU.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { pairedSource } from "@ganflow/data/stages"
import { trainPix2pix } from "@ganflow/trainers/stages"
import { translationDemo } from "@ganflow/viz/stages"
import { renderCurves } from "../stages/gan/render-curves-stage.ts"
import { renderTranslations } from "../stages/translation/render-translations-stage.ts"
import { translationMetrics } from "../stages/translation/translation-metrics-stage.ts"

const data = pairedSource.as("data", { params: { cropSize: 64, synthetic: { trainCount: 1000, testCount: 100 } }, inputs: { images: folderFromDir } })
const train = trainPix2pix.as("train", {
  params: {
    size: 64,
    generator: { ngf: 32, norm: "instance" },
    discriminator: { ndf: 32, norm: "instance" },
    steps: 2000,
    batchSize: 1,
    checkpointEvery: 250,
    logEvery: 10,
    seed: 0,
  },
  inputs: { data },
})
const metrics = translationMetrics.as("metrics", { params: { extractor: "random-cnn" }, inputs: { training: train, data } })
const grids = renderTranslations.as("grids", { params: { count: 8, examplesPerRow: 2 }, inputs: { training: train, data } })
const curves = renderCurves.as("curves", { inputs: { training: train, metrics } })
const demo = translationDemo.as("demo", { params: { title: "pix2pix: sketch to face", from: "sketch", to: "face" }, inputs: { training: train, data } })

export default pipeline({
  name: "pix2pix-faces",
  description: "pix2pix sketch -> face translation (64x64 on CPU, 256x256 in the full profile): grids, GIF, FID/L1/PSNR/SSIM curves, browser demo",
  stages: [data, train, metrics, grids, curves, demo],
  results: ["grids/grid.png", "grids/progress.gif", "curves/fid.png", "curves/ssim-wang2004.png", "curves/losses.png", "demo/index.html"],
  profiles: {
    /** The paper's setup, for a GPU: 256x256 (jitter from 286), U-Net ngf 64 and PatchGAN ndf 64 with instance norm, batch 1, 200 epochs of 1,000 pairs. */
    full: {
      data: { cropSize: 256, synthetic: { trainCount: 1000, testCount: 100 } },
      train: { size: 256, generator: { ngf: 64, norm: "instance" }, discriminator: { ndf: 64, norm: "instance" }, batchSize: 1, steps: 200000, checkpointEvery: 10000, logEvery: 100 },
    },
  },
})
