/**
 * Stage `age-cgan-evaluation`: re-ages held-out faces with every generator of a `train-age-cgan` stage (each checkpoint
 * and the final one), as Age-cGAN does — z₀ = E(x), then the identity-preserving optimisation of z (Adam on
 * ‖FR(x) − FR(G(z, y₀))‖², FR = the `identity` network's `features`), then G(z*, y) for each of the six age groups —
 * and measures, per generator:
 * - `age-accuracy@age-cnn`: share of re-aged faces the `ageClassifier` (trained on real faces) puts in the requested
 *   group (chance: 1/6; the classifier's own held-out accuracy on real faces is the ceiling);
 * - `sample-age-accuracy@age-cnn`: the same agreement for the random samples G(z, y) below, without any inversion —
 *   whether G follows the age label at all;
 * - `identity-distance@identity-cnn`: mean embedding distance ‖FR(x) − FR(G(z*, y))‖₂ between each input and its six
 *   re-aged faces, beside `identity-distance-between-faces@identity-cnn`, the mean distance between different input
 *   faces (so a value well below it means the identity is kept);
 * - `fid@random-cnn-seed<k>`: random G(z, y) samples against the held-out faces.
 * Pictures: `aging.png` (final generator) and `checkpoints/<id>.png`: one row per face — input | reconstruction
 * G(z*, y₀) | the six age groups. Writes `metrics.json` and reports every value as a metric (step = training step).
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { ageGroups, isDataError, normalizeUint8, selectDatasetItems, type UInt8Dataset } from "@ganflow/data"
import { readUpstreamDataset } from "@ganflow/data/stages"
import { gatherFeatures, metricsBetween, randomCnnExtractor, tensorBatches } from "@ganflow/metrics"
import { fileSystemModelLoader } from "@ganflow/models"
import { FINAL_GENERATOR, generatorDir, loadGeneratorFrom, optimiseIdentityLatents, sampleLabels, sampleLatents } from "@ganflow/trainers"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import { SeededRandom } from "@ganflow/data"
import { encodeRgbPng, imagesFromFloats, layoutGrid } from "@ganflow/viz"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { generatorsOf } from "./super-resolve.ts"
import type { FaceClassifierValue } from "./train-face-classifier-stage.ts"

/** Params of {@link ageCganEvaluation}. */
export const ageCganEvaluationParams = type({
  "+": "reject",
  /** Held-out faces re-aged (rows of the pictures; the metrics use them all). */
  faces: "number.integer >= 2 = 8",
  /** Adam steps of the identity-preserving optimisation (0: z = E(x)). */
  optimiseSteps: "number.integer >= 0 = 40",
  optimiseLearningRate: "number > 0 = 0.05",
  /** Random samples for FID. */
  samples: "number.integer >= 2 = 300",
  fidSeed: "number.integer >= 0 = 0",
  seed: "number.integer >= 0 = 0",
  /** Integer upscale of each pixel in the pictures. */
  scale: "number.integer >= 1 = 2",
})

/** One generator's measurements. */
export interface AgeCganRow {
  readonly step: number
  readonly values: Readonly<Record<string, number>>
}

const tanh = (ds: UInt8Dataset) => tf.tensor4d(normalizeUint8(ds.data, "tanh"), ds.shape as [number, number, number, number])
const loadModel = (dir: string) => tfl.loadLayersModel(fileSystemModelLoader(dir))
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Re-aging metrics and pictures per Age-cGAN checkpoint; see the module comment. */
export const ageCganEvaluation = defineStage({
  name: "age-cgan-evaluation",
  resources: { gpu: 1 },
  version: 2,
  description: "re-ages held-out faces (E(x) + identity-preserving optimisation) per checkpoint: age-classifier accuracy, identity distance, FID, pictures",
  params: ageCganEvaluationParams,
  inputs: {
    data: upstream<unknown>(),
    training: upstream<RecipeTrainingResult>(),
    ageClassifier: upstream<FaceClassifierValue>(),
    identity: upstream<FaceClassifierValue>(),
  },
  outputs: ["metrics.json", "aging.png"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric, progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      const held = inputs.data.files.includes("holdout.gfds") ? readUpstreamDataset(inputs.data, "holdout") : readUpstreamDataset(inputs.data)
      const faces = selectDatasetItems(held, Array.from({ length: Math.min(params.faces, held.shape[0]!) }, (_, i) => i))
      const n = faces.shape[0]!
      const [, size] = faces.shape as [number, number]
      const { classifier, embedder } = yield* tryAsync(async () => {
        const classifier = await loadModel(join(inputs.ageClassifier.dir, "classifier"))
        const identity = await loadModel(join(inputs.identity.dir, "classifier"))
        return { classifier, embedder: tfl.model({ inputs: identity.inputs, outputs: identity.getLayer("features").output as tfl.SymbolicTensor }) }
      }, isDataError)
      const embed = (x: tf.Tensor4D) => embedder.apply(x, { training: false }) as tf.Tensor2D
      const x = tanh(faces)
      const y0 = tf.tensor2d(Array.from(faces.labels ?? new Uint8Array(n)), [n, 1])
      const realEmbeddings = tf.tidy(() => embed(x))
      // mean distance between different input faces: the scale identity distances are read against
      const between = tf.tidy(() => {
        const d = tf.sqrt(tf.relu(tf.sub(tf.add(tf.sum(tf.square(realEmbeddings), 1, true), tf.transpose(tf.sum(tf.square(realEmbeddings), 1, true))), tf.mul(2, tf.matMul(realEmbeddings, realEmbeddings, false, true)))))
        return tf.div(tf.sum(d), n * (n - 1)).dataSync()[0]!
      })
      const extractor = randomCnnExtractor([size, size, 3], params.fidSeed)
      const reference = yield* gatherFeatures(extractor, tensorBatches(tanh(held), 64), { source: "held-out faces", sourceRange: "[-1,1]", sampleCap: 0 })
      const generators = generatorsOf(inputs.training)
      const rows: AgeCganRow[] = []
      mkdirSync(join(outDir, "checkpoints"), { recursive: true })
      for (const [k, g] of generators.entries()) {
        progress({ step: k, total: generators.length, message: `step ${g.step}` })
        const dir = generatorDir(inputs.training, g.id)
        // the final networks are exported at generator/ and encoder/, a checkpoint's at checkpoints/<id>/ and checkpoints/<id>/encoder/
        const encoderDir = g.id === FINAL_GENERATOR ? inputs.training.path("encoder") : join(dir, "encoder")
        const { generator, encoder } = yield* tryAsync(async () => ({ generator: await loadGeneratorFrom(dir), encoder: await loadModel(encoderDir) }), isDataError)
        const optimised = yield* Effect.promise(() =>
          optimiseIdentityLatents({ generator, encoder, embed, images: x, ages: y0, steps: params.optimiseSteps, learningRate: params.optimiseLearningRate }),
        )
        // N faces x 6 groups, face-major: row i holds G(z*_i, 0..5)
        const groups = ageGroups.length
        const { aged, reconstructed } = tf.tidy(() => {
          const z = tf.reshape(tf.tile(tf.expandDims(optimised.latents, 1), [1, groups, 1]), [n * groups, -1])
          const ages = tf.tensor2d(Array.from({ length: n * groups }, (_, i) => i % groups), [n * groups, 1])
          return { aged: generator.predict([z, ages]) as tf.Tensor4D, reconstructed: generator.predict([optimised.latents, y0]) as tf.Tensor4D }
        })
        const values = tf.tidy(() => {
          const requested = tf.tensor1d(Array.from({ length: n * groups }, (_, i) => i % groups), "int32")
          const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(classifier.predict(aged) as tf.Tensor, 1), requested), "float32"))
          const inputs6 = tf.reshape(tf.tile(tf.expandDims(realEmbeddings, 1), [1, groups, 1]), [n * groups, -1])
          const distance = tf.mean(tf.norm(tf.sub(embed(aged), inputs6), "euclidean", 1))
          const reconstruction = tf.mean(tf.norm(tf.sub(embed(reconstructed), realEmbeddings), "euclidean", 1))
          return [accuracy, distance, reconstruction].map((t) => t.dataSync()[0]!)
        })
        // FID of random samples (seeded latents and groups) against the held-out faces
        const random = new SeededRandom(params.seed)
        const { samples, sampleAccuracy } = tf.tidy(() => {
          const z = sampleLatents(random, params.samples, optimised.latents.shape[1])
          const labels = sampleLabels(random, params.samples, groups)
          const samples = generator.predict([z, labels]) as tf.Tensor4D
          // does G use the age label on its own (no inversion)? the classifier's agreement with the requested groups
          const hits = tf.equal(tf.argMax(classifier.predict(samples) as tf.Tensor, 1), tf.cast(tf.reshape(labels, [-1]), "int32"))
          return { samples, sampleAccuracy: tf.mean(tf.cast(hits, "float32")).dataSync()[0]! }
        })
        const generated = yield* gatherFeatures(extractor, tensorBatches(samples, 64), { source: `step ${g.step}`, sourceRange: "[-1,1]", sampleCap: 0 })
        samples.dispose()
        const fid = yield* metricsBetween(reference, generated, { metrics: ["fid"] })
        const row: AgeCganRow = {
          step: g.step,
          values: {
            "age-accuracy@age-cnn": values[0]!,
            "sample-age-accuracy@age-cnn": sampleAccuracy,
            "identity-distance@identity-cnn": values[1]!,
            "identity-distance-between-faces@identity-cnn": between,
            "reconstruction-distance@identity-cnn": values[2]!,
            "identity-loss-before-optimisation": optimised.initialLoss,
            "identity-loss-after-optimisation": optimised.finalLoss,
            ...fid,
          },
        }
        rows.push(row)
        for (const [name, value] of Object.entries(row.values)) metric(name, value, g.step)
        // the picture: input | reconstruction | six ages, one row per face
        const columns = groups + 2
        const cells = tf.tidy(() => tf.reshape(tf.concat([tf.expandDims(x, 1), tf.expandDims(reconstructed, 1), tf.reshape(aged, [n, groups, size, size, 3])], 1), [n * columns, size, size, 3]))
        const grid = layoutGrid(imagesFromFloats(yield* Effect.promise(() => cells.data()), [n * columns, size, size, 3], "tanh"), { columns, scale: params.scale })
        tf.dispose([cells, aged, reconstructed, optimised.latents])
        const png = yield* Effect.promise(() => encodeRgbPng(grid))
        writeFileSync(join(outDir, g.id === FINAL_GENERATOR ? "aging.png" : `checkpoints/${g.id}.png`), png)
        generator.dispose()
        encoder.dispose()
        log(`step ${g.step}: age accuracy ${values[0]!.toFixed(3)} (random samples ${sampleAccuracy.toFixed(3)}; chance ${(1 / groups).toFixed(3)}), identity distance ${values[1]!.toFixed(3)} (between faces ${between.toFixed(3)})`)
      }
      tf.dispose([x, y0, realEmbeddings])
      classifier.dispose()
      embedder.dispose()
      extractor.dispose()
      const value = {
        rows,
        chance: 1 / ageGroups.length,
        classifierHeldOutAccuracy: inputs.ageClassifier.value.holdoutAccuracy,
        columns: ["input", "reconstruction", ...ageGroups],
      }
      writeFileSync(join(outDir, "metrics.json"), JSON.stringify(value, null, 1))
      return value
    }),
})
