/**
 * stackgan-faces — StackGAN (Zhang et al. 2017) on captioned anime faces, its two stages trained as two stages.
 *
 *   data (faces + captions) -> encoder (text encoder: φ(t) per caption)
 *   data, encoder -> stage1 (StackGAN Stage-I: text + z -> low-resolution image, conditioning augmentation)
 *   data, encoder, stage1 -> stage2 (Stage-II: refines the final Stage-I's images with the text again)
 *   data -> classifier -> agreement1, agreement2 (caption agreement per checkpoint of each stage)
 *   data -> reference -> fid (FID/KID per Stage-II checkpoint)
 *   stage1 -> samples1; stage2 -> samples2 (one row per caption; Stage-II rows show each Stage-I image and its refinement)
 *
 * Stage-II's params never retrain Stage-I: Stage-I is its own stage and Stage-II's input. Default: CPU-sized — 4,000
 * faces drawn at 64x64, Stage-I at 32x32 (ngf 16, ndf 16, 400 steps of 64), Stage-II 32 -> 64 (ngf 16, ndf 16, 2 residual
 * blocks, 150 steps of 32): about 10 minutes of CPU time in all.
 * `--profile full` is the paper's sizes: Stage-I 64x64 (ngf 128, ndf 64), Stage-II 64 -> 256 (ngf 128, ndf 64,
 * 4 residual blocks), for a GPU.
 */
import { pipeline } from "@ganflow/core"
import { textEncoder, textImageFileFromParams, textImageSource } from "@ganflow/data/stages"
import { attributeClassifier, referenceStats } from "@ganflow/metrics/stages"
import { renderTextSamples } from "../stages/text/render-text-samples-stage.ts"
import { textCaptionAgreement } from "../stages/text/text-caption-agreement-stage.ts"
import { textCheckpointMetrics } from "../stages/text/text-checkpoint-metrics-stage.ts"
import { trainStackganStage1 } from "../stages/text/train-stackgan-stage1-stage.ts"
import { trainStackganStage2 } from "../stages/text/train-stackgan-stage2-stage.ts"

/**
 * The text encoder's φ(t) is L2-normalised (entries ~1/√128); conditioning augmentation takes it scaled to unit-sized
 * entries, as a raw embedding would be, so that μ is not drowned by σ·ε from the start (see the models' `embeddingScale`).
 */
const textScale = Math.sqrt(128)
// 1,000 further built-in faces, never captioned or trained on: the FID/KID floor
const data = textImageSource.as("data", { params: { size: 64, synthetic: { count: 4000, captionsPerFace: 2, heldOut: 1000 } }, inputs: { file: textImageFileFromParams } })
const encoder = textEncoder.as("encoder", { params: { dim: 128 }, inputs: { data } })
const stage1 = trainStackganStage1.as("stage1", {
  params: { model: { resolution: 32, ngf: 16, ndf: 16, embeddingDim: 128, embeddingScale: textScale }, steps: 400, batchSize: 64, checkpointEvery: 100, seed: 0 },
  inputs: { data, embeddings: encoder },
})
const stage2 = trainStackganStage2.as("stage2", {
  params: { model: { inputResolution: 32, resolution: 64, ngf: 16, ndf: 16, residualBlocks: 2, embeddingDim: 128, embeddingScale: textScale }, steps: 150, batchSize: 32, checkpointEvery: 50, seed: 0 },
  inputs: { data, embeddings: encoder, stage1 },
})
const classifier = attributeClassifier.as("classifier", { params: { imageSize: 32 }, inputs: { data } })
const agreement1 = textCaptionAgreement.as("agreement1", { params: { captions: 500 }, inputs: { classifier, data, embeddings: encoder, training: stage1 } })
const agreement2 = textCaptionAgreement.as("agreement2", { params: { captions: 500 }, inputs: { classifier, data, embeddings: encoder, training: stage2 } })
const reference = referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 2000 }, inputs: { dataset: data } })
const fid = textCheckpointMetrics.as("fid", { params: { metrics: ["fid", "kid"], samples: 1000, sampleCap: 1000, kidSubsetSize: 500, kidSubsets: 50 }, inputs: { reference, training: stage2, heldOut: data } })
const samples1 = renderTextSamples.as("samples1", { params: { interpolationPairs: 0 }, inputs: { training: stage1, data, embeddings: encoder } })
const samples2 = renderTextSamples.as("samples2", { params: { columns: 4 }, inputs: { training: stage2, data, embeddings: encoder } })

export default pipeline({
  name: "stackgan-faces",
  description: "StackGAN Stage-I and Stage-II as separate training stages on captioned faces: caption agreement per stage, FID, caption grids",
  stages: [data, encoder, stage1, stage2, classifier, agreement1, agreement2, reference, fid, samples1, samples2],
  results: ["samples1/grid.png", "samples2/grid.png", "samples2/interpolation.png", "agreement2/agreement.json", "fid/metrics.json"],
  profiles: {
    /** The paper's sizes for a GPU: Stage-I 64x64 (GF_DIM 128, DF_DIM 64), Stage-II 64 -> 256 (4 residual blocks). */
    full: {
      data: { size: 256, synthetic: { count: 20000 } },
      stage1: { model: { resolution: 64, ngf: 128, ndf: 64, embeddingDim: 128 }, steps: 20000, checkpointEvery: 2000 },
      stage2: { model: { inputResolution: 64, resolution: 256, ngf: 128, ndf: 64, residualBlocks: 4, embeddingDim: 128 }, steps: 20000, batchSize: 64, checkpointEvery: 2000 },
      classifier: { imageSize: 64 },
      fid: { samples: 10000, sampleCap: 10000, kidSubsetSize: 1000, kidSubsets: 100 },
      reference: { sampleCap: 10000 },
    },
  },
})
