/**
 * srgan-faces — SRGAN super-resolution (Ledig et al. 2017), ×4, on faces.
 *
 *   data (HR faces; LR = Pillow BICUBIC ÷4) -> srresnet (MSE pre-training, checkpoints) --------------------\
 *   data -> content (the content network, trained here: tells HR faces from their bicubic ×4 reconstructions)  -> srgan
 *   srresnet + srgan -> metrics (PSNR/SSIM on Y with a 4-pixel border crop + FID, per checkpoint; bicubic baseline row)
 *                    -> strips  (LR | bicubic | SRResNet | SRGAN | HR, final and per SRGAN checkpoint)
 *
 * Default: the built-in synthetic faces at 64x64 (16x16 LR), CPU-sized networks (SRResNet with 2 residual blocks of 16
 * filters; the discriminator's widths quartered, dense 128), 1000 + 150 steps at batch 8, the content loss on the trained
 * `sharpness-cnn/conv2` maps plus a pixel-MSE anchor (`srgan.pixelWeight` 1; the paper's 0 in `full`).
 * `--set data.dir=<folder>` trains on a folder of high-resolution images; `--profile full` is the paper's networks on
 * 96x96 crops (16 blocks of 64, D 64..512 + dense 1024; batch 16, Adam 1e-4) for a GPU. VGG19 weights cannot be
 * downloaded here: `--set srgan.vgg19Dir=<converted VGG19 folder>` (see README "srgan-faces") trains with the paper's
 * `vgg19/block5_conv4` loss (then also `--set srgan.contentScale=0.00615`).
 */
import { folder, folderFromDir, pipeline } from "@ganflow/core"
import { imageSource } from "@ganflow/data/stages"
import { trainSrgan, trainSrresnet } from "@ganflow/trainers/stages"
import { renderSuperResolution } from "../stages/faces/render-super-resolution-stage.ts"
import { superResolutionMetrics } from "../stages/faces/super-resolution-metrics-stage.ts"
import { trainFaceClassifier } from "../stages/faces/train-face-classifier-stage.ts"

const cpuModel = { scale: 4, residualBlocks: 2, filters: 16, ndf: 16, denseUnits: 128, hrSize: 64 } as const

const data = imageSource.as("data", { params: { size: 64, kernel: "cubic", holdoutFraction: 0.1, synthetic: { kind: "anime-faces", count: 2000 } }, inputs: { images: folderFromDir } })
const content = trainFaceClassifier.as("content", { params: { task: "sharpness", scale: 4, steps: 100, batchSize: 32, width: 8 }, inputs: { faces: data } })
const srresnet = trainSrresnet.as("srresnet", {
  params: { model: cpuModel, steps: 1000, batchSize: 8, checkpointEvery: 250, learningRate: 0.001 },
  inputs: { dataset: data },
})
const srgan = trainSrgan.as("srgan", {
  params: { model: cpuModel, steps: 150, batchSize: 8, checkpointEvery: 50, learningRate: 0.0001, pixelWeight: 1 },
  inputs: { dataset: data, pretrained: srresnet, content, vgg19: (p) => (p.vgg19Dir === "" ? null : folder(p.vgg19Dir)) },
})
const metrics = superResolutionMetrics.as("metrics", { params: { samples: 100 }, inputs: { data, srresnet, srgan } })
const strips = renderSuperResolution.as("strips", { params: { count: 6 }, inputs: { data, srresnet, srgan } })

export default pipeline({
  name: "srgan-faces",
  description: "SRGAN x4 on faces: SRResNet (MSE) then SRGAN (content on a named network + 1e-3 adversarial); PSNR/SSIM-Y + FID vs bicubic; strips",
  stages: [data, content, srresnet, srgan, metrics, strips],
  results: ["metrics/metrics.md", "strips/strips.png"],
  profiles: {
    /** The paper's networks on 96x96 faces (a folder of faces at least that large: `--set data.dir=…`), for a GPU. */
    full: {
      data: { size: 96 },
      srresnet: { model: { scale: 4, residualBlocks: 16, filters: 64, ndf: 64, denseUnits: 1024, hrSize: 96 }, steps: 100000, batchSize: 16, checkpointEvery: 10000, learningRate: 0.0001 },
      srgan: { model: { scale: 4, residualBlocks: 16, filters: 64, ndf: 64, denseUnits: 1024, hrSize: 96 }, steps: 100000, batchSize: 16, checkpointEvery: 10000, pixelWeight: 0 },
      content: { steps: 2000, width: 32 },
      metrics: { samples: 1000 },
    },
  },
})
