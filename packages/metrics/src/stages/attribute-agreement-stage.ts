/**
 * Stage `caption-agreement`: for every checkpoint of a text-conditioned training stage, generates one image per
 * caption (captions of the faces the attribute classifier held out), predicts their attributes with the
 * `attribute-classifier` stage's model, and measures the share that show what their caption states — per attribute
 * and overall, with chance (captions paired with other samples' images) beside each figure
 * (maths/caption-agreement.ts). The same measure on the real faces of those captions is the ceiling the classifier
 * allows (`real` in `agreement.json`, run metric `caption-agreement-real`).
 *
 * Run metrics per checkpoint step: `caption-agreement`, `caption-agreement-chance`, `caption-agreement@<attribute>`,
 * `caption-agreement-chance@<attribute>`.
 *
 * ## The sampling interface (what a text-conditioned generator must offer)
 * A {@link TextConditionedSampler} lists the checkpoints of the training output and turns caption embeddings into
 * images. The default, {@link textSnapshotSampler}, reads the generator snapshots a training stage exports
 * (`checkpoints.json` + `checkpoints/<id>/model.json`, as `train-gan` writes them) and calls each as a TF.js layers
 * model with **two inputs, in this order: z [N, latentDim] (standard normal, drawn from the metric's seed, the same
 * for every checkpoint) and φ(t) [N, D] (rows of `embeddings.gfemb`, as stored: L2-normalised for the text-encoder
 * stage)**, output images [N, H, W, 3] in [−1, 1] (tanh). A generator with another signature comes with its own
 * sampler through {@link defineCaptionAgreementStage}.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream, type UpstreamOutput } from "@ganflow/core"
import { CaptionFileInvalid, datasetImagesTensor, SeededRandom, type CaptionTable, type FaceAttributeName } from "@ganflow/data"
import { readUpstreamCaptionEmbeddings, readUpstreamCaptions, readUpstreamDataset, type TextImageSourceValue } from "@ganflow/data/stages"
import { fileSystemModelLoader } from "@ganflow/models"
import { loadGenerator, readGeneratorSnapshots, sampleLatents } from "@ganflow/trainers"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { isMetricsError } from "../errors.ts"
import { faceAttributeCodes, predictFaceAttributes } from "../extractors/attribute-classifier.ts"
import { measureCaptionAgreement, type CaptionAgreement } from "../maths/caption-agreement.ts"
import { ATTRIBUTE_CLASSIFIER_DIR, ATTRIBUTE_HEADS_FILE, type AttributeClassifierValue, type AttributeHeadsFile } from "./attribute-classifier-stage.ts"
import type { CheckpointRef } from "./checkpoint-metrics-stage.ts"

/** What a text-conditioned trainer provides so that caption agreement can be measured per checkpoint. */
export interface TextConditionedSampler<T = unknown> {
  /** The checkpoints in the training stage's output, in training order. */
  readonly list: (training: UpstreamOutput<T>) => Promise<ReadonlyArray<CheckpointRef>>
  /**
   * One image per row of `embeddings` (float32, rows × `dim`, row i = φ(t_i)), in row order, in batches of
   * `batchSize`, images [B, H, W, 3] in [−1, 1]; latents drawn from `seed` (the same for every checkpoint). The
   * consumer disposes each batch.
   */
  readonly sample: (
    training: UpstreamOutput<T>,
    checkpoint: CheckpointRef,
    options: { readonly embeddings: Float32Array; readonly dim: number; readonly batchSize: number; readonly seed: number },
  ) => AsyncIterable<tf.Tensor4D>
}

/**
 * The default sampler: generator snapshots of the training output (`checkpoints.json`), each a layers model called
 * as `G([z, φ(t)])` (see the module comment). Fails when a snapshot does not take two inputs [N, latentDim] and [N, D].
 */
export const textSnapshotSampler: TextConditionedSampler = {
  list: async (training) => readGeneratorSnapshots(training.dir),
  sample: (training, checkpoint, options) => ({
    async *[Symbol.asyncIterator]() {
      const generator = await loadGenerator(training, checkpoint.id)
      try {
        const shapes = generator.inputs.map((i) => i.shape)
        if (shapes.length !== 2 || shapes[1]![1] !== options.dim) {
          throw new Error(`caption agreement needs a generator G([z, φ(t)]) with φ(t) of width ${options.dim}; ${training.stage}/${checkpoint.id} takes inputs ${JSON.stringify(shapes)}`)
        }
        const latentDim = shapes[0]![1] as number
        const rows = options.embeddings.length / options.dim
        const random = new SeededRandom(options.seed)
        for (let start = 0; start < rows; start += options.batchSize) {
          const n = Math.min(options.batchSize, rows - start)
          const z = sampleLatents(random, n, latentDim)
          const phi = tf.tensor2d(options.embeddings.subarray(start * options.dim, (start + n) * options.dim), [n, options.dim])
          try {
            yield tf.tidy(() => generator.predict([z, phi]) as tf.Tensor4D)
          } finally {
            tf.dispose([z, phi])
          }
        }
      } finally {
        generator.dispose()
      }
    },
  }),
}

/** Params of a caption-agreement stage. */
export const captionAgreementParams = type({
  "+": "reject",
  /** Attributes scored (heads of the attribute classifier); the default are those it reads reliably at 32x32. */
  attributes: [type("('hairColor' | 'hairStyle' | 'bangs' | 'eyeColor' | 'eyesClosed' | 'mouth' | 'blush' | 'accessory')[]"), "=", () => ["hairColor", "hairStyle", "eyeColor"] as FaceAttributeName[]],
  /** Captions (of held-out faces, seeded draw) each checkpoint generates one image for. */
  captions: "number.integer >= 2 = 1000",
  batchSize: "number.integer >= 1 = 100",
  seed: "number.integer >= 0 = 0",
})

/** File the stage writes: `{ attributes, captions, real, checkpoints: [{ checkpoint, step, ...CaptionAgreement }] }`. */
export const CAPTION_AGREEMENT_FILE = "agreement.json"

/** One checkpoint's row of `agreement.json`. */
export interface CaptionAgreementRow extends CaptionAgreement {
  readonly checkpoint: string
  readonly step: number
}

/** What a caption-agreement stage returns. */
export interface CaptionAgreementValue {
  readonly [key: string]: unknown
  readonly checkpoints: number
  readonly captions: number
  /** The last checkpoint's overall agreement and its chance level; NaN without checkpoints. */
  readonly last: { readonly overall: number; readonly chanceOverall: number; readonly perAttribute: Readonly<Record<string, number>> }
  /** Agreement of the real held-out faces with their own captions (the classifier's ceiling). */
  readonly real: number
}

/** The caption rows scored: captions of `heldOut` faces stating a scored attribute, seeded order, at most `count`. */
const scoredCaptions = (table: CaptionTable, heldOut: ReadonlySet<number>, attributes: readonly FaceAttributeName[], count: number, seed: number): Int32Array => {
  const rows = table.captions.flatMap((_, c) => (heldOut.has(table.image[c]!) && table.stated![c]!.some((a) => attributes.includes(a)) ? [c] : []))
  const order = new SeededRandom(seed ^ 0xa9ee).permutation(rows.length)
  return Int32Array.from(order.subarray(0, Math.min(count, rows.length)), (k) => rows[k]!)
}

/** Predicted attributes of the images a sampler yields, concatenated in order. */
const predictAll = async (classifier: tfl.LayersModel, batches: AsyncIterable<tf.Tensor4D>, attributes: readonly FaceAttributeName[]): Promise<Record<string, Int32Array>> => {
  const parts: Array<Record<string, Int32Array>> = []
  for await (const batch of batches) {
    try {
      parts.push(predictFaceAttributes(classifier, batch))
    } finally {
      batch.dispose()
    }
  }
  return Object.fromEntries(attributes.map((a) => {
    const all = new Int32Array(parts.reduce((s, p) => s + p[a]!.length, 0))
    let at = 0
    for (const p of parts) {
      all.set(p[a]!, at)
      at += p[a]!.length
    }
    return [a, all]
  }))
}

const describe = (r: CaptionAgreement): string =>
  `overall ${(r.overall * 100).toFixed(1)}% (chance ${(r.chanceOverall * 100).toFixed(1)}%); ${Object.entries(r.perAttribute).map(([a, v]) => `${a} ${(v.agreement * 100).toFixed(1)}% (chance ${(v.chance * 100).toFixed(1)}%, ${v.stated} stated)`).join(", ")}`

/**
 * Defines a caption-agreement stage named `name` over the checkpoints `sampler` finds (the pipelines use
 * {@link captionAgreement}; a generator with another signature brings its own sampler). Pass the sampler's module
 * (`import.meta.url`) so its code is part of the cache key. Inputs: `classifier` (attribute-classifier stage),
 * `data` (the text-image-source stage with the faces' attributes), `embeddings` (the stage whose `embeddings.gfemb`
 * the generator was trained on: text-encoder), `training` (the training stage).
 */
export const defineCaptionAgreementStage = <T>(options: { readonly name: string; readonly module: string; readonly sampler: TextConditionedSampler<T>; readonly version?: number }) =>
  defineStage({
    name: options.name,
    resources: { gpu: 1 },
    version: options.version ?? 1,
    module: options.module,
    description: "share of images generated from captions whose classified attributes match the caption, per checkpoint, with chance levels",
    params: captionAgreementParams,
    inputs: {
      classifier: upstream<AttributeClassifierValue>(),
      data: upstream<TextImageSourceValue>(),
      embeddings: upstream(),
      training: upstream<T>(),
    },
    outputs: [CAPTION_AGREEMENT_FILE],
    run: ({ params, inputs, outDir }) =>
      Effect.gen(function* () {
        const { log, metric, progress, env } = yield* StageEvents
        env({ backend: yield* startedBackend })
        return yield* tryAsync(async () => {
          const table = readUpstreamCaptions(inputs.data)
          if (table.attributes === undefined || table.stated === undefined) {
            throw new CaptionFileInvalid({ file: inputs.data.path("captions.json"), reason: "no face attributes: caption agreement needs the built-in captioned faces" })
          }
          const embeddings = readUpstreamCaptionEmbeddings(inputs.embeddings)
          if (embeddings.rows !== table.captions.length) {
            throw new CaptionFileInvalid({ file: inputs.embeddings.path("embeddings.gfemb"), reason: `${embeddings.rows} embeddings for the ${table.captions.length} captions of ${inputs.data.stage}` })
          }
          const heads = JSON.parse(readFileSync(inputs.classifier.path(ATTRIBUTE_HEADS_FILE), "utf8")) as AttributeHeadsFile
          const rows = scoredCaptions(table, new Set(heads.heldOutImages), params.attributes, params.captions, params.seed)
          if (rows.length < 2) throw new CaptionFileInvalid({ file: inputs.data.path("captions.json"), reason: `only ${rows.length} caption(s) of held-out faces state ${params.attributes.join("/")}` })
          const codes = faceAttributeCodes(table.attributes)
          const stated = Object.fromEntries(params.attributes.map((a) => [a, Int32Array.from(rows, (c) => (table.stated![c]!.includes(a) ? codes[a][table.image[c]!]! : -1))]))
          const phi = new Float32Array(rows.length * embeddings.dim)
          rows.forEach((c, k) => phi.set(embeddings.values.subarray(c * embeddings.dim, (c + 1) * embeddings.dim), k * embeddings.dim))
          const classifier = await tfl.loadLayersModel(fileSystemModelLoader(inputs.classifier.path(ATTRIBUTE_CLASSIFIER_DIR)))
          try {
            const dataset = readUpstreamDataset(inputs.data)
            const realImages = datasetImagesTensor(dataset, heads.imageSize, Int32Array.from(rows, (c) => table.image[c]!))
            const realPredicted = await predictAll(classifier, (async function* () { yield realImages })(), params.attributes)
            const real = measureCaptionAgreement(stated, realPredicted)
            metric("caption-agreement-real", real.overall)
            log(`real held-out faces with their own captions (${rows.length}): ${describe(real)}`)
            const checkpoints = await options.sampler.list(inputs.training)
            const results: CaptionAgreementRow[] = []
            for (const [i, checkpoint] of checkpoints.entries()) {
              progress({ step: i, total: checkpoints.length, message: checkpoint.id })
              const predicted = await predictAll(classifier, options.sampler.sample(inputs.training, checkpoint, { embeddings: phi, dim: embeddings.dim, batchSize: params.batchSize, seed: params.seed }), params.attributes)
              if (predicted[params.attributes[0]!]!.length !== rows.length) throw new Error(`${inputs.training.stage}/${checkpoint.id}: the sampler gave ${predicted[params.attributes[0]!]!.length} images for ${rows.length} captions`)
              const agreement = measureCaptionAgreement(stated, predicted)
              metric("caption-agreement", agreement.overall, checkpoint.step)
              metric("caption-agreement-chance", agreement.chanceOverall, checkpoint.step)
              for (const [a, v] of Object.entries(agreement.perAttribute)) {
                metric(`caption-agreement@${a}`, v.agreement, checkpoint.step)
                metric(`caption-agreement-chance@${a}`, v.chance, checkpoint.step)
              }
              log(`${checkpoint.id} (step ${checkpoint.step}): ${describe(agreement)}`)
              results.push({ checkpoint: checkpoint.id, step: checkpoint.step, ...agreement })
            }
            writeFileSync(join(outDir, CAPTION_AGREEMENT_FILE), JSON.stringify({ attributes: params.attributes, captions: rows.length, real, checkpoints: results }, null, 1))
            const last = results.at(-1)
            const value: CaptionAgreementValue = {
              checkpoints: results.length,
              captions: rows.length,
              last: {
                overall: last?.overall ?? Number.NaN,
                chanceOverall: last?.chanceOverall ?? Number.NaN,
                perAttribute: Object.fromEntries(Object.entries(last?.perAttribute ?? {}).map(([a, v]) => [a, v.agreement])),
              },
              real: real.overall,
            }
            return value
          } finally {
            classifier.dispose()
          }
        }, isMetricsError)
      }),
  })

/** Stage `caption-agreement` over the generator snapshots of a text-conditioned training stage ({@link textSnapshotSampler}). */
export const captionAgreement = defineCaptionAgreementStage({ name: "caption-agreement", module: import.meta.url, sampler: textSnapshotSampler })

