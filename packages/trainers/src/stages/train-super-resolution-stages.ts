/**
 * SRGAN's two training stages (recipes `srresnet` and `srgan`) on an upstream dataset of high-resolution images
 * (`dataset.gfds`): the low-resolution inputs are made here by Pillow's bicubic ×scale downsampling
 * (`downscaleBicubicLikePil`, bit-identical to `Image.resize(..., BICUBIC)`), so a pipeline binds one image source.
 *
 * - `train-srresnet`: MSE pre-training; exports `generator/` and every checkpoint's generator.
 * - `train-srgan`: starts from the `pretrained` SRResNet stage's generator and trains with the perceptual loss; the
 *   content network is the `content` input — a `train-face-classifier` stage (its CNN, layer `contentLayer`, default
 *   `conv2`) — or, when the `vgg19` folder input is bound, a converted VGG19 (`loadVgg19FeatureNetwork`, layer default
 *   `block5_conv4`). The network's name is in the loss keys (`generator/content@vgg19/block5_conv4`) and the value.
 */
import { upstream, folderInput, type StageContext } from "@ganflow/core"
import { downscaleBicubicLikePil, normalizeUint8, readUInt8Dataset, type UInt8Dataset } from "@ganflow/data"
import type { DatasetStageValue } from "@ganflow/data/stages"
import { featureMapNetwork, fileSystemModelLoader, loadVgg19FeatureNetwork } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { join } from "node:path"
import { TrainingDataInvalid } from "../errors.ts"
import { SrganConfig, type SrganResources, srganRecipe } from "../recipes/srgan.ts"
import { SrresnetConfig, srresnetRecipe } from "../recipes/srresnet.ts"
import type { TrainingData } from "../training-set.ts"
import { defineRecipeTrainingStage, type RecipeTrainingResult } from "./recipe-training-stage.ts"

const tanhImages = (ds: UInt8Dataset): tf.Tensor => tf.tensor(normalizeUint8(ds.data, "tanh"), [...ds.shape], "float32")

/** `images` (bicubic ×scale low resolution) and `targets` (the high-resolution faces), both in [-1, 1]. */
export const superResolutionData = (hr: UInt8Dataset, scale: number): TrainingData => {
  const [, h, w] = hr.shape as [number, number, number]
  if (h % scale !== 0 || w % scale !== 0) throw new TrainingDataInvalid({ reason: `high-resolution images of ${h}x${w} are not a multiple of the scale ${scale}` })
  return { images: tanhImages(downscaleBicubicLikePil(hr, scale)), targets: tanhImages(hr) }
}

const loadHighResolution = (ctx: StageContext<{ model: { scale?: 2 | 4 | 8 } }, { dataset: ReturnType<typeof upstream<DatasetStageValue>> }>) =>
  superResolutionData(readUInt8Dataset(ctx.inputs.dataset.path("dataset.gfds")), ctx.params.model.scale ?? 4)

/** SRResNet pre-training with MSE. */
export const trainSrresnet = defineRecipeTrainingStage({
  name: "train-srresnet",
  module: import.meta.url,
  description: "SRResNet pre-training (pixel MSE) on bicubic x4 pairs of the upstream images",
  recipe: srresnetRecipe,
  params: SrresnetConfig,
  inputs: { dataset: upstream<DatasetStageValue>() },
  loadData: (ctx) => loadHighResolution(ctx),
  exports: { generator: { snapshots: true } },
})

/** What `train-srgan` adds to its value. */
export interface TrainSrganExtra {
  /** The content network's name, e.g. `sharpness-cnn/conv2` or `vgg19/block5_conv4`. */
  readonly content: string
}

/** SRGAN's adversarial fine-tuning from the SRResNet stage, with a named content network. */
export const trainSrgan = defineRecipeTrainingStage({
  name: "train-srgan",
  module: import.meta.url,
  description: "SRGAN: perceptual loss (content on a named network + 1e-3 adversarial) from the SRResNet checkpoint",
  recipe: srganRecipe,
  params: SrganConfig,
  inputs: {
    dataset: upstream<DatasetStageValue>(),
    pretrained: upstream<RecipeTrainingResult>(),
    content: upstream<{ readonly network: string }>({ optional: true }),
    vgg19: folderInput({ optional: true }),
  },
  loadData: (ctx) => loadHighResolution(ctx),
  prepare: async (ctx): Promise<SrganResources> => {
    const initial = await tfl.loadLayersModel(fileSystemModelLoader(ctx.inputs.pretrained.path("generator")))
    const initialGenerator = initial.getWeights().map((w) => tf.clone(w))
    initial.dispose()
    let content
    if (ctx.inputs.vgg19 !== undefined) {
      content = await loadVgg19FeatureNetwork(ctx.inputs.vgg19.path, ctx.params.contentLayer ? { layer: ctx.params.contentLayer } : {})
    } else if (ctx.inputs.content !== undefined) {
      const model = await tfl.loadLayersModel(fileSystemModelLoader(join(ctx.inputs.content.dir, "classifier")))
      content = featureMapNetwork(model, ctx.inputs.content.value.network, ctx.params.contentLayer || "conv2", "tanh")
    } else {
      tf.dispose(initialGenerator)
      throw new TrainingDataInvalid({ reason: "train-srgan needs a content network: bind the content input (a train-face-classifier stage) or the vgg19 folder" })
    }
    return { initialGenerator, content }
  },
  exports: { generator: { snapshots: true } },
  extra: (_trained, descriptions): TrainSrganExtra => ({ content: String(descriptions.generator?.content ?? "") }),
})
