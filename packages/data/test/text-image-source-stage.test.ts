import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pipeline, runPipeline, type PipelineDefinition, type RunSummary } from "@ganflow/core"
import { Cause, Effect, Exit } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { readCaptionEmbeddings } from "../src/caption-embeddings-file.ts"
import { readCaptionTable } from "../src/caption-table.ts"
import { repositoryRoot } from "../src/shared-data-location.ts"
import { readTextImageTrainingData, textImageFileFromParams, textImageSource } from "../src/stages/index.ts"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { readUInt8Dataset } from "../src/uint8-dataset.ts"

const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const roots: string[] = []
const makeRoot = () => {
  const root = mkdtempSync(join(workRoot, "text-image-source-"))
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "text-image-source-test", private: true, type: "module" }))
  roots.push(root)
  return root
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})
const run = async (p: PipelineDefinition, root: string): Promise<{ summary?: RunSummary; failure?: string }> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { root, jobs: 1 }))
  if (Exit.isSuccess(exit)) return { summary: exit.value }
  const err = Cause.failureOption(exit.cause)
  return { failure: err._tag === "Some" ? (err.value as Error).message : Cause.pretty(exit.cause) }
}
const fixtures = join(import.meta.dirname, "fixtures")

describe("text-image-source stage", () => {
  it("built-in captioned faces: images + captions.json with attributes, cached on rerun", async () => {
    const root = makeRoot()
    const p = pipeline({
      name: "captions",
      stages: [textImageSource.as("data", { params: { size: 32, synthetic: { count: 12, captionsPerFace: 2 } }, inputs: { file: textImageFileFromParams } })],
    })
    const first = await run(p, root)
    expect(first.failure).toBeUndefined()
    const out = first.summary!.stages[0]!
    expect(out.status).toBe("ran")
    expect(readUInt8Dataset(join(out.dir!, "dataset.gfds")).shape).toEqual([12, 32, 32, 3])
    const table = readCaptionTable(join(out.dir!, "captions.json"))
    expect(table.captions.length).toBe(24)
    expect(table.attributes!.length).toBe(12)
    expect(table.stated!.length).toBe(24)
    expect(table.mismatched.length).toBe(24)
    expect((await run(p, root)).summary!.stages[0]!.status).toBe("cached")
  })

  it("synthetic.heldOut: further faces of the same seed as holdout.gfds; the training faces are unchanged", async () => {
    const root = makeRoot()
    const stage = (heldOut: number) =>
      pipeline({ name: `held-out-${heldOut}`, stages: [textImageSource.as("data", { params: { size: 32, synthetic: { count: 12, heldOut } }, inputs: { file: textImageFileFromParams } })] })
    const plain = (await run(stage(0), root)).summary!.stages[0]!
    const split = (await run(stage(5), root)).summary!.stages[0]!
    const wider = (await run(pipeline({ name: "seventeen", stages: [textImageSource.as("data", { params: { size: 32, synthetic: { count: 17 } }, inputs: { file: textImageFileFromParams } })] }), root)).summary!.stages[0]!
    const train = readUInt8Dataset(join(split.dir!, "dataset.gfds"))
    const holdout = readUInt8Dataset(join(split.dir!, "holdout.gfds"))
    expect(train.data).toEqual(readUInt8Dataset(join(plain.dir!, "dataset.gfds")).data)
    expect(holdout.shape).toEqual([5, 32, 32, 3])
    // faces 12..16 of the seed's set: the tail of a 17-face set, none of them a training face
    const item = 32 * 32 * 3
    expect(holdout.data).toEqual(readUInt8Dataset(join(wider.dir!, "dataset.gfds")).data.subarray(12 * item))
    expect(readCaptionTable(join(split.dir!, "captions.json")).captions.length).toBe(24)
    expect(split.metrics["held_out_images"]).toBe(5)
  })

  it("--set data.file=<hdf5>: images, class labels, captions and the shipped embeddings", async () => {
    const root = makeRoot()
    const p = pipeline({
      name: "birds",
      stages: [textImageSource.as("data", { params: { size: 16, file: join(fixtures, "text_image_birds.hdf5"), splits: ["train", "valid"] }, inputs: { file: textImageFileFromParams } })],
    })
    const first = await run(p, root)
    expect(first.failure).toBeUndefined()
    const out = first.summary!.stages[0]!
    const ds = readUInt8Dataset(join(out.dir!, "dataset.gfds"))
    expect(ds.shape).toEqual([3, 16, 16, 3])
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2])
    const table = readCaptionTable(join(out.dir!, "captions.json"))
    expect(table.captions.length).toBe(6)
    for (let c = 0; c < 6; c++) expect(ds.labels![table.image[table.mismatched[c]!]!]).not.toBe(ds.labels![table.image[c]!])
    const emb = readCaptionEmbeddings(join(out.dir!, "embeddings.gfemb"))
    expect([emb.rows, emb.dim]).toEqual([6, 1024])
    // the trainer's per-caption fields: the caption's image, its φ(t), its mismatched caption's φ, its class
    await tf.setBackend("cpu")
    const before = tf.memory().numTensors
    const upstream = { stage: "data", dir: out.dir!, files: [], value: {}, digest: "", path: (f: string) => join(out.dir!, f) }
    const fields = readTextImageTrainingData(upstream, upstream)
    expect(fields.images.shape).toEqual([6, 16, 16, 3])
    expect(fields.embeddings.shape).toEqual([6, 1024])
    const images = fields.images.arraySync() as number[][][][]
    const row = table.image[4]!
    expect(images[4]![0]![0]![1]).toBeCloseTo((ds.data[row * 16 * 16 * 3 + 1]! - 127.5) / 127.5, 6)
    expect(Array.from(fields.wrongEmbeddings.dataSync().subarray(2 * 1024, 2 * 1024 + 4))).toEqual(Array.from(emb.values.subarray(table.mismatched[2]! * 1024, table.mismatched[2]! * 1024 + 4)))
    expect(Array.from(fields.labels!.dataSync())).toEqual(Array.from(table.image, (i) => ds.labels![i]))
    tf.dispose(Object.values(fields))
    expect(tf.memory().numTensors).toBe(before)
  })

  it("a bad HDF5 file fails the stage with the file and path, writing nothing", async () => {
    const root = makeRoot()
    const bad = join(fixtures, "text_image_bad_embedding.hdf5")
    const p = pipeline({ name: "bad", stages: [textImageSource.as("data", { params: { file: bad }, inputs: { file: textImageFileFromParams } })] })
    const result = await run(p, root)
    expect(result.failure).toContain(`stage data failed: ${bad}: /train/bird_0/embeddings: wrong embedding size: shape [2, 1000], expected [1024] or [k, 1024]`)
    // nothing was committed: a rerun runs (and fails) again rather than finding a cached output
    expect((await run(p, root)).failure).toContain("wrong embedding size")
  })
})
