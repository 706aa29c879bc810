import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { folder, pipeline, runPipeline, type PipelineDefinition, type RunSummary } from "@ganflow/core"
import { Effect, Exit, Cause } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { repositoryRoot, sharedDataPath } from "../src/shared-data-location.ts"
import { readImageFolder } from "../src/image-folder-reader.ts"
import { readUInt8Dataset } from "../src/uint8-dataset.ts"
import { digitSource, imageSource, voxelFit, voxelSource } from "../src/stages/index.ts"

/** A temporary workspace inside the repository (gitignored .test-work), removed after the tests. */
const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const roots: string[] = []
const makeRoot = () => {
  const root = mkdtempSync(join(workRoot, "data-stages-"))
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "data-stage-test", private: true, type: "module" }))
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
const outcome = (s: RunSummary, name: string) => s.stages.find((o) => o.name === name)!
const filesUnder = (dir: string): string[] => {
  try {
    return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile())
  } catch {
    return []
  }
}

describe("data stages through the core runner", () => {
  it("each source's built-in synthetic set (faces, digits, furniture): ran, then cached on rerun", async () => {
    const root = makeRoot()
    const furniture = voxelSource.as("furniture", { params: { count: 4, seed: 1, size: 32 } })
    const p = pipeline({
      name: "synthetic",
      stages: [
        imageSource.as("faces", { params: { size: 64, seed: 1, holdoutFraction: 0.25, synthetic: { kind: "anime-faces", count: 32 } } }),
        digitSource.as("digits", { params: { count: 50, seed: 1 } }),
        furniture,
        voxelFit.as("furniture64", { params: { size: 64 }, inputs: { voxels: furniture } }),
      ],
    })
    const first = await run(p, root)
    expect(first.failure).toBeUndefined()
    expect(first.summary!.stages.map((o) => o.status)).toEqual(["ran", "ran", "ran", "ran"])
    const faces = readUInt8Dataset(join(outcome(first.summary!, "faces").dir!, "dataset.gfds"))
    expect(faces.shape).toEqual([24, 64, 64, 3])
    expect(readUInt8Dataset(join(outcome(first.summary!, "faces").dir!, "holdout.gfds")).shape).toEqual([8, 64, 64, 3])
    expect(readUInt8Dataset(join(outcome(first.summary!, "digits").dir!, "dataset.gfds")).labels!.length).toBe(50)
    expect(readUInt8Dataset(join(outcome(first.summary!, "furniture64").dir!, "dataset.gfds")).shape).toEqual([4, 64, 64, 64])
    const second = await run(p, root)
    expect(second.summary!.stages.map((o) => o.status)).toEqual(["cached", "cached", "cached", "cached"])
  }, 60_000)

  it("reads all 19,992 shared anime faces as a stage, cached on rerun", async () => {
    const root = makeRoot()
    const p = pipeline({
      name: "faces",
      stages: [imageSource.as("faces", { params: { size: 64, holdoutFraction: 0.05, seed: 3 }, inputs: { images: folder(sharedDataPath("datasets", "anime-faces-64")) } })],
    })
    const t0 = performance.now()
    const first = await run(p, root)
    const t1 = performance.now()
    expect(first.failure).toBeUndefined()
    const o = outcome(first.summary!, "faces")
    expect(o.status).toBe("ran")
    const train = readUInt8Dataset(join(o.dir!, "dataset.gfds"))
    const holdout = readUInt8Dataset(join(o.dir!, "holdout.gfds"))
    expect(train.shape[0]! + holdout.shape[0]!).toBe(19992)
    expect(holdout.shape).toEqual([1000, 64, 64, 3])
    const second = await run(p, root)
    const t2 = performance.now()
    expect(outcome(second.summary!, "faces").status).toBe("cached")
    console.log(`faces stage: first run ${((t1 - t0) / 1000).toFixed(1)} s, cached rerun ${((t2 - t1) / 1000).toFixed(1)} s`)
  }, 120_000)

  it("a folder's images are resized with the stage's fit and kernel, sub-folders included with recursive", async () => {
    const root = makeRoot()
    const images = join(root, "nested-images")
    mkdirSync(join(images, "more"), { recursive: true })
    copyFileSync(join(sharedDataPath("datasets", "anime-faces-64"), "0_2000.jpg"), join(images, "a.jpg"))
    copyFileSync(join(sharedDataPath("datasets", "anime-faces-64"), "1000_2000.jpg"), join(images, "more", "b.jpg"))
    const options = { size: 16, fit: "contain", kernel: "nearest" } as const
    const r = await run(pipeline({ name: "fit", stages: [
      imageSource.as("flat", { params: options, inputs: { images: folder(images) } }),
      imageSource.as("nested", { params: { ...options, recursive: true }, inputs: { images: folder(images) } }),
    ] }), root)
    expect(r.failure).toBeUndefined()
    const flat = readUInt8Dataset(join(outcome(r.summary!, "flat").dir!, "dataset.gfds"))
    const nested = readUInt8Dataset(join(outcome(r.summary!, "nested").dir!, "dataset.gfds"))
    expect(flat.shape).toEqual([1, 16, 16, 3])
    expect(nested.shape).toEqual([2, 16, 16, 3])
    const expected = await readImageFolder(images, { ...options, recursive: true })
    expect(Buffer.from(nested.data).equals(Buffer.from(expected.dataset.data))).toBe(true)
    const lanczos = await readImageFolder(images, { size: 16, recursive: true })
    expect(Buffer.from(nested.data).equals(Buffer.from(lanczos.dataset.data))).toBe(false)
  }, 60_000)

  it("bad inputs fail the run naming the file, and nothing is stored", async () => {
    const root = makeRoot()
    const images = join(root, "bad-images")
    mkdirSync(images)
    copyFileSync(join(sharedDataPath("datasets", "anime-faces-64"), "0_2000.jpg"), join(images, "a.jpg"))
    const jpeg = readFileSync(join(sharedDataPath("datasets", "anime-faces-64"), "1000_2000.jpg"))
    writeFileSync(join(images, "truncated.jpg"), jpeg.subarray(0, 600))
    const r1 = await run(pipeline({ name: "bad", stages: [imageSource.as("faces", { inputs: { images: folder(images) } })] }), root)
    expect(r1.failure).toContain("truncated.jpg")
    const vox = join(root, "bad-voxels")
    mkdirSync(vox)
    const h5 = new Uint8Array(1024)
    h5.set(new TextEncoder().encode("MATLAB 7.3 MAT-file"))
    h5.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512)
    writeFileSync(join(vox, "chair_v73.mat"), h5)
    const r2 = await run(pipeline({ name: "bad2", stages: [voxelSource.as("vox", { inputs: { shapes: folder(vox) } })] }), root)
    expect(r2.failure).toContain("chair_v73.mat")
    expect(r2.failure).toContain("7.3")
    const bin = join(root, "bad-binvox")
    mkdirSync(bin)
    writeFileSync(join(bin, "x.binvox"), "#notbinvox\ndim 2 2 2\ndata\n")
    const r3 = await run(pipeline({ name: "bad3", stages: [voxelSource.as("vox", { inputs: { shapes: folder(bin) } })] }), root)
    expect(r3.failure).toContain("x.binvox")
    const r4 = await run(pipeline({ name: "bad4", stages: [digitSource.as("digits", { inputs: { idx: folder(images) } })] }), root)
    expect(r4.failure).toContain("bad-images: no MNIST IDX pair: expected train-images-idx3-ubyte[.gz]")
    expect(r4.failure).toContain("found a.jpg, truncated.jpg")
    const stored = filesUnder(join(root, ".ganflow"))
    expect(stored.filter((f) => f.endsWith(".gfds"))).toEqual([])
  }, 60_000)

  it("an MNIST IDX folder, and .mat voxels -> 3D-GAN prep equal to the SciPy fixture", async () => {
    const root = makeRoot()
    const vox = join(root, "mats")
    mkdirSync(vox)
    copyFileSync(sharedDataPath("fixtures", "mat", "chair_uint8_z.mat"), join(vox, "a.mat"))
    copyFileSync(sharedDataPath("fixtures", "mat", "chair_double.mat"), join(vox, "b.mat"))
    const chairs30 = voxelSource.as("chairs30", { inputs: { shapes: folder(vox) } })
    const p = pipeline({
      name: "prep",
      stages: [
        digitSource.as("mnist", { inputs: { idx: folder(sharedDataPath("datasets", "mnist")) } }),
        chairs30,
        voxelFit.as("chairs64", { params: { size: 64 }, inputs: { voxels: chairs30 } }),
      ],
    })
    const r = await run(p, root)
    expect(r.failure).toBeUndefined()
    const mnist = readUInt8Dataset(join(outcome(r.summary!, "mnist").dir!, "dataset.gfds"))
    expect(mnist.shape).toEqual([10000, 28, 28, 1])
    expect(mnist.labels!.length).toBe(10000)
    expect(outcome(r.summary!, "mnist").metrics["images"]).toBe(10000)
    const chairs = readUInt8Dataset(join(outcome(r.summary!, "chairs64").dir!, "dataset.gfds"))
    expect(chairs.shape).toEqual([2, 64, 64, 64])
    const expected = readFileSync(sharedDataPath("fixtures", "voxel-zoom", "chair_pad_zoom64_u8_C.raw"))
    expect(Buffer.from(chairs.data.subarray(0, 64 ** 3)).equals(expected)).toBe(true)
    expect(Buffer.from(chairs.data.subarray(64 ** 3)).equals(expected)).toBe(true)
  }, 60_000)
})
