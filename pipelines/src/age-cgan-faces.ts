/**
 * age-cgan-faces — Age-cGAN face aging (Antipov et al. 2017).
 *
 *   data (faces labelled with 6 age groups + an identity set) -> ages    (age classifier `age-cnn`, on real faces)
 *                                                             -> identity (face embedding `identity-cnn`, on the identities)
 *                                                             -> train   (Age-cGAN G/D + encoder E, checkpoints)
 *   train + ages + identity -> evaluation (per checkpoint: E(x) + identity-preserving optimisation, re-aged into the 6
 *                              groups; age-classifier accuracy vs chance 1/6, identity distance, FID; pictures)
 *
 * Default: the built-in synthetic faces drawn at random ages (child proportions, greying hair, lines) at 32x32,
 * CPU-sized networks (G/D width 16, E 16 with dense 128), D in the recipe's ACGAN form (an age head trained on real
 * faces; with the paper's conditional D, G ignored the age label within a CPU budget), 1,000 steps. `--set data.dir=<IMDB-WIKI folder>` (e.g. `wiki_crop`, with
 * `wiki.mat` inside; `data.metadata=imdb.mat` for IMDB) trains on real faces, ages by the book's formula; `--profile
 * full` is the paper's 64x64 networks for a GPU.
 */
import { folderFromDir, pipeline } from "@ganflow/core"
import { agedFaceSource } from "@ganflow/data/stages"
import { trainAgeCgan } from "@ganflow/trainers/stages"
import { ageCganEvaluation } from "../stages/faces/age-cgan-evaluation-stage.ts"
import { trainFaceClassifier } from "../stages/faces/train-face-classifier-stage.ts"

const data = agedFaceSource.as("data", { params: { size: 32, holdoutFraction: 0.1, synthetic: { count: 10000, identities: 100 } }, inputs: { images: folderFromDir } })
const ages = trainFaceClassifier.as("ages", { params: { task: "age", steps: 5000, batchSize: 32, width: 16 }, inputs: { faces: data } })
const identity = trainFaceClassifier.as("identity", { params: { task: "identity", steps: 300, batchSize: 32, width: 16, featureSize: 64 }, inputs: { faces: data } })
const train = trainAgeCgan.as("train", {
  params: {
    model: { resolution: 32, ngf: 16, nef: 16, encoderDenseUnits: 128, discriminator: "auxiliary-classifier" },
    encoderLearningRate: 0.001,
    steps: 1000,
    batchSize: 32,
    checkpointEvery: 500,
    sampleEvery: 500,
    sampleCount: 36,
  },
  inputs: { dataset: data },
})
const evaluation = ageCganEvaluation.as("evaluation", { params: { faces: 16, optimiseSteps: 30, samples: 300 }, inputs: { data, training: train, ageClassifier: ages, identity } })

export default pipeline({
  name: "age-cgan-faces",
  description: "Age-cGAN face aging: conditional G/D on 6 age groups + encoder, identity-preserving re-aging, age accuracy / identity distance / FID per checkpoint",
  stages: [data, ages, identity, train, evaluation],
  results: ["evaluation/aging.png", "evaluation/metrics.json"],
  profiles: {
    /** The paper's 64x64 networks (DCGAN widths 64, the book's encoder), for a GPU. */
    full: {
      data: { size: 64, synthetic: { count: 20000, identities: 200 } },
      ages: { steps: 3000, width: 32 },
      identity: { steps: 3000, width: 32, featureSize: 128 },
      train: { model: { resolution: 64, ngf: 64, nef: 32, encoderDenseUnits: 4096, discriminator: "conditional" }, steps: 20000, batchSize: 128, checkpointEvery: 2000, sampleEvery: 2000 },
      evaluation: { faces: 16, optimiseSteps: 100, samples: 2000 },
    },
  },
})
