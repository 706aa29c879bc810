import "@tensorflow/tfjs-backend-cpu"
import { layerCurrentTensorBackend } from "@ganflow/backend"
import { defineStage, pipeline, runPipeline, upstream, type PipelineDefinition, type RunSummary, type UpstreamOutput } from "@ganflow/core"
import { generateCaptionedAnimeFaces, readCaptionTable, readUInt8Dataset, writeCaptionEmbeddings } from "@ganflow/data"
import { readUpstreamCaptions, readUpstreamDataset, textImageSource } from "@ganflow/data/stages"
import { fileSystemModelSaver } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { Cause, Effect, Exit } from "effect"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildAttributeClassifier, faceAttributeCodes, FACE_ATTRIBUTE_HEADS, predictFaceAttributes, trainAttributeClassifier } from "../src/extractors/attribute-classifier.ts"
import { measureCaptionAgreement } from "../src/maths/caption-agreement.ts"
import { attributeClassifier, captionAgreement, defineCaptionAgreementStage, type TextConditionedSampler } from "../src/stages/index.ts"

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const workRoot = join(repoRoot, ".test-work")
mkdirSync(workRoot, { recursive: true })
const root = mkdtempSync(join(workRoot, "caption-agreement-"))
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "caption-agreement-test", private: true, type: "module" }))
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const run = async (p: PipelineDefinition): Promise<RunSummary> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { services: layerCurrentTensorBackend, root, jobs: 1 }))
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}
const runFailure = async (p: PipelineDefinition): Promise<string> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { services: layerCurrentTensorBackend, root, jobs: 1 }))
  return Exit.isFailure(exit) ? Cause.pretty(exit.cause) : JSON.stringify(exit.value.stages.map((s) => [s.name, s.status, s.error]))
}

describe("caption agreement maths", () => {
  it("agreement, chance by mismatched pairing, per attribute and overall (hand-computed)", () => {
    const r = measureCaptionAgreement(
      { hair: [0, 1, -1, 0], eyes: [2, -1, 1, -1] },
      { hair: [0, 0, 1, 0], eyes: [2, 2, 0, 1] },
    )
    expect(r.perAttribute.hair).toEqual({ agreement: 2 / 3, chance: 5 / 9, stated: 3 })
    expect(r.perAttribute.eyes).toEqual({ agreement: 1 / 2, chance: 1 / 3, stated: 2 })
    expect(r.samples).toBe(4)
    expect(r.overall).toBe(1 / 2)
    expect(r.chanceOverall).toBe(5 / 12)
  })

  it("a generator that ignores captions sits at chance; NaN without stated values", () => {
    // predictions identical for every sample: agreement equals chance exactly
    const r = measureCaptionAgreement({ a: [0, 1, 2, 0, 1, 2] }, { a: [1, 1, 1, 1, 1, 1] })
    expect(r.perAttribute.a!.agreement).toBeCloseTo(r.perAttribute.a!.chance, 12)
    expect(measureCaptionAgreement({ a: [-1, -1] }, { a: [0, 0] }).overall).toBeNaN()
  })
})

describe("attribute classifier", () => {
  it("training and prediction keep tf.memory().numTensors stable", async () => {
    const { dataset, table } = generateCaptionedAnimeFaces({ count: 8, seed: 1, size: 16, captionsPerFace: 1 })
    const images = tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(dataset.data), [8, 16, 16, 3]), 127.5), 1)) as tf.Tensor4D
    const codes = faceAttributeCodes(table.attributes!)
    const once = async () => {
      const model = buildAttributeClassifier({ imageSize: 16, width: 2, seed: 0 })
      const losses = await trainAttributeClassifier(model, images, codes, Int32Array.from([0, 1, 2, 3, 4, 5]), { steps: 2, batchSize: 4, learningRate: 0.01, seed: 0 })
      const predicted = predictFaceAttributes(model, images)
      model.dispose()
      return { losses, predicted }
    }
    const first = await once()
    const before = tf.memory().numTensors
    const second = await once()
    expect(tf.memory().numTensors).toBe(before)
    expect(Array.from(second.losses)).toEqual(Array.from(first.losses))
    expect(Object.keys(second.predicted)).toEqual(FACE_ATTRIBUTE_HEADS)
    expect(second.predicted.hairColor.length).toBe(8)
    images.dispose()
  })
})

// Embeddings that name their caption's face (dim 1: the face index), so a fake generator can draw "from the caption".
const faceIndexEmbeddings = defineStage({
  name: "face-index-embeddings",
  params: type({}),
  inputs: { data: upstream() },
  outputs: ["embeddings.gfemb"],
  run: ({ inputs, outDir }) =>
    Effect.sync(() => {
      const table = readUpstreamCaptions(inputs.data)
      writeCaptionEmbeddings(join(outDir, "embeddings.gfemb"), { rows: table.captions.length, dim: 1, values: Float32Array.from(table.image) })
      return { rows: table.captions.length }
    }),
})
// Two "checkpoints": `faithful` draws the caption's own face, `ignores` always draws face 0.
const fakeTraining = defineStage({
  name: "fake-text-training",
  params: type({}),
  inputs: { data: upstream() },
  run: ({ inputs }) => Effect.sync(() => ({ dataDir: inputs.data.dir })),
})
const faceSampler: TextConditionedSampler = {
  list: async () => [{ id: "faithful", step: 1 }, { id: "ignores", step: 2 }],
  sample: async function* (training: UpstreamOutput<unknown>, checkpoint, { embeddings, batchSize }) {
    const ds = readUInt8Dataset(join((training.value as { dataDir: string }).dataDir, "dataset.gfds"))
    const [, h, w] = ds.shape as [number, number, number, number]
    const item = h * w * 3
    for (let start = 0; start < embeddings.length; start += batchSize) {
      const rows = Array.from(embeddings.subarray(start, start + batchSize), (face) => (checkpoint.id === "faithful" ? face : 0))
      const bytes = new Float32Array(rows.length * item)
      rows.forEach((face, k) => bytes.set(Float32Array.from(ds.data.subarray(face * item, (face + 1) * item), (v) => v / 127.5 - 1), k * item))
      yield tf.tensor4d(bytes, [rows.length, h, w, 3])
    }
  },
}
const fakeAgreement = defineCaptionAgreementStage({ name: "fake-caption-agreement", module: import.meta.url, sampler: faceSampler })

describe("attribute-classifier and caption-agreement stages", () => {
  it("a generator drawing the caption's face agrees as much as the real faces; one ignoring captions sits at chance", async () => {
    const data = textImageSource.as("data", { params: { size: 16, seed: 5, synthetic: { count: 60, captionsPerFace: 2 } } })
    const classifier = attributeClassifier.as("classifier", { params: { imageSize: 8, width: 4, steps: 20, batchSize: 16, learningRate: 0.01, holdoutFraction: 0.5 }, inputs: { data } })
    const embeddings = faceIndexEmbeddings.as("embeddings", { inputs: { data } })
    const train = fakeTraining.as("train", { inputs: { data } })
    const agreement = fakeAgreement.as("agreement", { params: { captions: 200, batchSize: 32 }, inputs: { classifier, data, embeddings, training: train } })
    const summary = await run(pipeline({ name: "agreement", stages: [data, classifier, embeddings, train, agreement] }))
    const classifierOut = summary.stages.find((s) => s.name === "classifier")!
    for (const head of FACE_ATTRIBUTE_HEADS) expect(classifierOut.metrics[`accuracy@${head}`]).toBeGreaterThanOrEqual(0)
    const out = summary.stages.find((s) => s.name === "agreement")!
    const file = JSON.parse(readFileSync(join(out.dir!, "agreement.json"), "utf8"))
    expect(file.attributes).toEqual(["hairColor", "hairStyle", "eyeColor"])
    // held-out half of 60 faces, 2 captions each, those stating a scored attribute
    expect(file.captions).toBeGreaterThan(40)
    expect(file.captions).toBeLessThanOrEqual(60)
    const [faithful, ignores] = file.checkpoints
    expect(faithful.overall).toBe(file.real.overall)
    expect(faithful.perAttribute).toEqual(file.real.perAttribute)
    // drawing one face for every caption: agreement is the share of captions that happen to fit face 0's predictions
    expect(ignores.overall).toBeLessThan(faithful.overall)
    // one image for every caption is exactly a generator that ignores its captions: agreement = chance
    expect(ignores.overall).toBeCloseTo(ignores.chanceOverall, 12)
    for (const a of file.attributes) expect(ignores.perAttribute[a].agreement).toBeCloseTo(ignores.perAttribute[a].chance, 12)
    expect(out.metrics["caption-agreement-real"]).toBe(file.real.overall)
    expect(out.metricSeries!["caption-agreement"]!.map(([s]) => s)).toEqual([1, 2])
    expect((await run(pipeline({ name: "agreement", stages: [data, classifier, embeddings, train, agreement] }))).stages.every((s) => s.status === "cached")).toBe(true)
  })

  it("the default sampler calls each generator snapshot as G([z, φ(t)]); a wrong φ width is a clear error", async () => {
    const snapshotTraining = defineStage({
      name: "fake-snapshot-training",
      params: type({ phiWidth: "number" }),
      inputs: {},
      outputs: ["checkpoints.json"],
      run: ({ params, outDir }) =>
        Effect.promise(async () => {
          const z = tfl.input({ shape: [4] })
          const phi = tfl.input({ shape: [params.phiWidth] })
          let x = tfl.layers.concatenate().apply([z, phi]) as tfl.SymbolicTensor
          x = tfl.layers.dense({ units: 16 * 16 * 3, activation: "tanh", kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(x) as tfl.SymbolicTensor
          const g = tfl.model({ inputs: [z, phi], outputs: tfl.layers.reshape({ targetShape: [16, 16, 3] }).apply(x) as tfl.SymbolicTensor })
          await g.save(fileSystemModelSaver(join(outDir, "checkpoints", "step-000010")))
          g.dispose()
          writeFileSync(join(outDir, "checkpoints.json"), JSON.stringify([{ id: "step-000010", step: 10 }]))
          return { snapshots: 1 }
        }),
    })
    const data = textImageSource.as("data", { params: { size: 16, seed: 6, synthetic: { count: 20, captionsPerFace: 2 } } })
    const classifier = attributeClassifier.as("classifier", { params: { imageSize: 16, width: 2, steps: 2, batchSize: 8, holdoutFraction: 0.5 }, inputs: { data } })
    const embeddings = faceIndexEmbeddings.as("embeddings", { inputs: { data } })
    const good = snapshotTraining.as("train", { params: { phiWidth: 1 } })
    const agreement = captionAgreement.as("agreement", { params: { batchSize: 7 }, inputs: { classifier, data, embeddings, training: good } })
    const summary = await run(pipeline({ name: "snapshots", stages: [data, classifier, embeddings, good, agreement] }))
    const file = JSON.parse(readFileSync(join(summary.stages.find((s) => s.name === "agreement")!.dir!, "agreement.json"), "utf8"))
    expect(file.checkpoints.map((c: { step: number }) => c.step)).toEqual([10])
    expect(file.checkpoints[0].overall).toBeGreaterThanOrEqual(0)
    expect(file.checkpoints[0].overall).toBeLessThanOrEqual(1)
    const bad = snapshotTraining.as("train", { params: { phiWidth: 3 } })
    const failure = await runFailure(pipeline({ name: "snapshots-bad", stages: [data, classifier, embeddings, bad, captionAgreement.as("agreement", { inputs: { classifier, data, embeddings, training: bad } })] }))
    expect(failure).toMatch(/needs a generator G\(\[z, φ\(t\)\]\) with φ\(t\) of width 1; train\/step-000010 takes inputs \[\[null,4\],\[null,3\]\]/)
  })
})
