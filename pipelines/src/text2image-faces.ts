/**
 * text2image-faces — text-to-image GAN-CLS + GAN-INT (Reed et al. 2016) on captioned anime faces.
 *
 *   data (faces + captions) -> encoder (word-CNN text encoder, joint image-text embedding: φ(t) per caption)
 *   data, encoder -> train (GAN-CLS + GAN-INT, a generator G([z, φ(t)]) per checkpoint)
 *   data -> classifier (face-attribute CNN on the real faces) -> agreement (per checkpoint: share of images generated
 *                                                                 from held-out faces' captions showing what the
 *                                                                 caption states, beside chance)
 *   data -> reference -> fid (FID/KID per checkpoint, random-CNN features)
 *   train -> samples (per checkpoint: one row per caption, the caption printed under it; caption interpolation strips)
 *
 * Default: 4,000 built-in faces at 32x32 with 2 captions each, φ(t) of 128 dims, the paper's networks at 32 px
 * (ngf = ndf = 32), 1,000 steps of batch 64, Adam 2e-4 / β1 0.5, GAN-CLS w = 0.5 and GAN-INT β = 0.5. `--profile full` is the
 * paper's 64x64 networks (ngf = ndf = 64) for a GPU. `--set data.file=<birds.hdf5>` trains on CUB/Oxford-102 with
 * their shipped char-CNN-RNN embeddings (then also `--set train.model.embeddingDim=1024`; the text encoder's output is
 * not read, and caption agreement needs the faces' attributes).
 */
import { pipeline } from "@ganflow/core"
import { textEncoder, textImageFileFromParams, textImageSource } from "@ganflow/data/stages"
import { attributeClassifier, captionAgreement, referenceStats } from "@ganflow/metrics/stages"
import { renderTextSamples } from "../stages/text/render-text-samples-stage.ts"
import { textCheckpointMetrics } from "../stages/text/text-checkpoint-metrics-stage.ts"
import { trainGanCls } from "../stages/text/train-gan-cls-stage.ts"

// 1,000 further built-in faces, never captioned or trained on: the FID/KID floor
const data = textImageSource.as("data", { params: { size: 32, synthetic: { count: 4000, captionsPerFace: 2, heldOut: 1000 } }, inputs: { file: textImageFileFromParams } })
const encoder = textEncoder.as("encoder", { params: { dim: 128 }, inputs: { data } })
const train = trainGanCls.as("train", {
  params: {
    model: { resolution: 32, ngf: 32, ndf: 32, embeddingDim: 128 },
    steps: 1000,
    batchSize: 64,
    checkpointEvery: 250,
    seed: 0,
  },
  inputs: { data, embeddings: encoder },
})
const classifier = attributeClassifier.as("classifier", { params: { imageSize: 32 }, inputs: { data } })
const agreement = captionAgreement.as("agreement", { params: { captions: 500 }, inputs: { classifier, data, embeddings: encoder, training: train } })
const reference = referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 2000 }, inputs: { dataset: data } })
const fid = textCheckpointMetrics.as("fid", { params: { metrics: ["fid", "kid"], samples: 1000, sampleCap: 1000, kidSubsetSize: 500, kidSubsets: 50 }, inputs: { reference, training: train, heldOut: data } })
const samples = renderTextSamples.as("samples", { inputs: { training: train, data, embeddings: encoder } })

export default pipeline({
  name: "text2image-faces",
  description: "GAN-CLS + GAN-INT text-to-image on captioned faces: caption agreement and FID per checkpoint, caption grids, interpolation strips",
  stages: [data, encoder, train, classifier, agreement, reference, fid, samples],
  results: ["samples/grid.png", "samples/interpolation.png", "agreement/agreement.json", "fid/metrics.json"],
  profiles: {
    /** The paper's setup for a GPU: 64x64 networks at ngf = ndf = 64, batch 64, more steps and samples. */
    full: {
      data: { size: 64, synthetic: { count: 20000 } },
      train: { model: { resolution: 64, ngf: 64, ndf: 64, embeddingDim: 128 }, steps: 10000, checkpointEvery: 1000 },
      classifier: { imageSize: 64 },
      fid: { samples: 10000, sampleCap: 10000, kidSubsetSize: 1000, kidSubsets: 100 },
      reference: { sampleCap: 10000 },
    },
  },
})
