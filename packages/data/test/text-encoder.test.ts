import "@tensorflow/tfjs-backend-cpu"
import { layerCurrentTensorBackend } from "@ganflow/backend"
import { pipeline, runPipeline, type PipelineDefinition, type RunSummary } from "@ganflow/core"
import * as tf from "@tensorflow/tfjs-core"
import { Cause, Effect, Exit } from "effect"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readCaptionEmbeddings } from "../src/caption-embeddings-file.ts"
import { readCaptionTable } from "../src/caption-table.ts"
import { buildCaptionVocabulary, captionWords, tokenizeCaptions } from "../src/caption-tokenizer.ts"
import { repositoryRoot } from "../src/shared-data-location.ts"
import { ShuffledRowBatches } from "../src/shuffled-row-batches.ts"
import { textEncoder, textImageSource } from "../src/stages/index.ts"
import { encodeCaptions, loadTextEncoder } from "../src/text-encoder-artifacts.ts"
import { buildJointImageEncoder, buildTextEncoder } from "../src/text-encoder-network.ts"
import { jointEmbeddingLoss, trainJointEmbedding } from "../src/text-image-joint-embedding.ts"

const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const root = mkdtempSync(join(workRoot, "text-encoder-"))
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "text-encoder-test", private: true, type: "module" }))
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const run = async (p: PipelineDefinition): Promise<RunSummary> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { services: layerCurrentTensorBackend, root, jobs: 1 }))
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}

describe("caption tokens", () => {
  it("words, vocabulary (pad, unknown, sorted words) and padded ids", () => {
    expect(captionWords("A girl with side-swept bangs, Blue eyes.")).toEqual(["a", "girl", "with", "side", "swept", "bangs", "blue", "eyes"])
    const v = buildCaptionVocabulary(["blue hair", "red hair and blue eyes"])
    expect(v).toEqual({ words: ["<pad>", "<unk>", "and", "blue", "eyes", "hair", "red"], maxLength: 5 })
    expect(Array.from(tokenizeCaptions(v, ["blue hair", "green hair"]))).toEqual([3, 5, 0, 0, 0, 1, 5, 0, 0, 0])
  })
})

describe("shuffled row batches", () => {
  it("each pass visits every row once (tail dropped), in a seeded order", () => {
    const rows = Int32Array.from([10, 11, 12, 13, 14, 15, 16])
    const a = new ShuffledRowBatches(rows, 3, 9)
    const pass = [...a.next(), ...a.next()]
    expect(new Set(pass).size).toBe(6)
    for (const r of pass) expect(rows).toContain(r)
    const b = new ShuffledRowBatches(rows, 3, 9)
    expect([...b.next(), ...b.next()]).toEqual(pass)
    expect(new ShuffledRowBatches(rows, 50, 1).next().length).toBe(7)
  })
})

describe("joint image-text embedding", () => {
  it("the symmetric contrastive loss has its hand-computed value", () => {
    // B = 2, orthogonal unit features, τ = 1: each row softmax([1, 0]) -> loss log(1 + e^-1) both ways
    const v = tf.tensor2d([[2, 0], [0, 3]])
    const t = tf.tensor2d([[1, 0], [0, 1]])
    expect(jointEmbeddingLoss(v, t, 1).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6)
    // τ = 0.5, text rows swapped: every pair is the wrong one -> log(1 + e^2)
    expect(jointEmbeddingLoss(v, tf.tensor2d([[0, 1], [1, 0]]), 0.5).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(2)), 5)
    tf.dispose([v, t])
  })

  it("training steps keep tf.memory().numTensors stable and are deterministic by seed", async () => {
    const vocab = { vocabularySize: 6, maxLength: 4, wordDim: 4, filters: 4, dim: 4 }
    const data = {
      images: tf.randomUniform([6, 8, 8, 3], -1, 1, "float32", 1) as tf.Tensor4D,
      tokens: tf.tensor2d(Int32Array.from([2, 3, 0, 0, 4, 5, 0, 0, 2, 5, 0, 0, 3, 4, 1, 0, 5, 2, 0, 0, 4, 4, 3, 0]), [6, 4], "int32"),
      captionsOfImage: [[0], [1], [2], [3], [4], [5]],
      trainImages: Int32Array.from([0, 1, 2, 3, 4, 5]),
    }
    const train = async () => {
      const text = buildTextEncoder({ ...vocab, seed: 1 })
      const image = buildJointImageEncoder({ imageSize: 8, dim: 4, width: 2, seed: 1 })
      const losses = await trainJointEmbedding(text, image, data, { steps: 2, batchSize: 4, learningRate: 0.01, temperature: 0.5, seed: 3 })
      text.dispose()
      image.dispose()
      return losses
    }
    const first = await train()
    const before = tf.memory().numTensors
    const second = await train()
    expect(tf.memory().numTensors).toBe(before)
    expect(Array.from(second)).toEqual(Array.from(first))
    tf.dispose([data.images, data.tokens])
  })
})

describe("text-encoder stage", () => {
  it("writes a unit-norm φ(t) per caption and an encoder that reproduces them; cached on rerun", async () => {
    const data = textImageSource.as("data", { params: { size: 16, seed: 2, synthetic: { count: 20, captionsPerFace: 2 } } })
    const encoder = textEncoder.as("encoder", { params: { dim: 8, wordDim: 4, filters: 8, imageSize: 16, imageWidth: 2, steps: 3, batchSize: 8, holdoutFraction: 0.2 }, inputs: { data } })
    const p = pipeline({ name: "text-encoder", stages: [data, encoder] })
    const first = await run(p)
    const out = first.stages.find((s) => s.name === "encoder")!
    expect(out.status).toBe("ran")
    expect(out.metrics["held-out-matched-over-mismatched"]).toBeGreaterThanOrEqual(0)
    const table = readCaptionTable(join(first.stages[0]!.dir!, "captions.json"))
    const embeddings = readCaptionEmbeddings(join(out.dir!, "embeddings.gfemb"))
    expect([embeddings.rows, embeddings.dim]).toEqual([40, 8])
    for (let r = 0; r < embeddings.rows; r++) {
      const row = embeddings.values.subarray(r * 8, (r + 1) * 8)
      expect(Math.hypot(...row)).toBeCloseTo(1, 5)
    }
    const loaded = await loadTextEncoder(out.dir!)
    const again = encodeCaptions(loaded, table.captions.slice(0, 3))
    loaded.model.dispose()
    for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(embeddings.values[i]!, 5)
    expect((await run(p)).stages.map((s) => s.status)).toEqual(["cached", "cached"])
  })
})
