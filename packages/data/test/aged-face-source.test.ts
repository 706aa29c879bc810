import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { folder, pipeline, runPipeline } from "@ganflow/core"
import { Cause, Effect, Exit } from "effect"
import sharp from "sharp"
import { afterAll, describe, expect, it } from "vitest"
import { readImdbWikiFaces } from "../src/imdb-wiki-faces.ts"
import { repositoryRoot } from "../src/shared-data-location.ts"
import { agedFaceSource, IDENTITIES_FILE } from "../src/stages/index.ts"
import { readUInt8Dataset } from "../src/uint8-dataset.ts"

const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})
const makeRoot = () => {
  const root = mkdtempSync(join(workRoot, "aged-faces-"))
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "aged-face-test", private: true, type: "module" }))
  roots.push(root)
  return root
}

/** An IMDB-WIKI-shaped folder: the SciPy-written wiki_small.mat and a small JPEG per path it lists (solid colours by row). */
const makeWikiFolder = async (root: string, rename?: Record<string, string>) => {
  const dir = join(root, "wiki_crop")
  mkdirSync(dir, { recursive: true })
  copyFileSync(join(import.meta.dirname, "fixtures", "wiki_small.mat"), join(dir, "wiki.mat"))
  const paths = ["17/10000217_1981-05-05_2009.jpg", "48/10000548_1989-12-30_2013.jpg", "12/100012_1959-06-16_2012.jpg", "65/10001965_1970-01-01_2010.jpg",
    "16/10002116_1991-12-31_2014.jpg", "02/10002702_1927-01-01_2000.jpg", "41/10003541_1974-07-24_2015.jpg", "39/10004299_1947-10-08_2011.jpg",
    "51/10005251_2002-03-01_2016.jpg", "46/10006146_1977-01-15_2008.jpg"]
  for (const [i, p] of paths.entries()) {
    const file = join(dir, rename?.[p] ?? p)
    mkdirSync(dirname(file), { recursive: true })
    await sharp({ create: { width: 40, height: 48, channels: 3, background: { r: 20 * i, g: 100, b: 200 - 10 * i } } }).jpeg().toFile(file)
  }
  return dir
}

describe("IMDB-WIKI faces", () => {
  it("reads the kept faces with age-group labels and identities by name, images relative to the .mat", async () => {
    const dir = await makeWikiFolder(makeRoot())
    const faces = await readImdbWikiFaces(join(dir, "wiki.mat"), { size: 16 })
    // kept rows 0, 2, 4, 6, 8, 9 (see imdb-wiki-metadata.test.ts) with groups 1, 4, 1, 3, 0, 2
    expect(faces.dataset.shape).toEqual([6, 16, 16, 3])
    expect(Array.from(faces.dataset.labels!)).toEqual([1, 4, 1, 3, 0, 2])
    expect(faces.names).toEqual(["Sami Jauhojärvi", "Marc Okrand", "李小龍", "", "Œdipe Ärger", "Plain Name"])
    // row 4's solid colour (r = 80) survived decoding and resizing
    expect(Math.abs(faces.dataset.data[2 * 16 * 16 * 3]! - 80)).toBeLessThan(4)
  })

  it("a missing image is skipped and reported, or fails naming the file", async () => {
    const dir = await makeWikiFolder(makeRoot(), { "41/10003541_1974-07-24_2015.jpg": "41/moved.jpg" })
    const faces = await readImdbWikiFaces(join(dir, "wiki.mat"), { size: 16 })
    expect(faces.dataset.shape[0]).toBe(5)
    expect(faces.skipped.map((s) => s.file)).toEqual(["41/10003541_1974-07-24_2015.jpg"])
    await expect(readImdbWikiFaces(join(dir, "wiki.mat"), { size: 16, onBadImage: "fail" })).rejects.toThrow(/10003541_1974-07-24_2015\.jpg/)
  })
})

describe("aged-face-source stage", () => {
  const run = async (root: string, params: Record<string, unknown>, withFolder?: string) => {
    const stage = agedFaceSource.as("data", { params, ...(withFolder ? { inputs: { images: folder(withFolder) } } : {}) } as never)
    const exit = await Effect.runPromiseExit(runPipeline(pipeline({ name: "aged", stages: [stage] }), { root, jobs: 1 }))
    if (Exit.isSuccess(exit)) return { summary: exit.value }
    const err = Cause.failureOption(exit.cause)
    return { failure: err._tag === "Some" ? (err.value as Error).message : Cause.pretty(exit.cause) }
  }

  it("built-in: age-labelled faces with a holdout, and identities each drawn at all six ages", async () => {
    const root = makeRoot()
    const { summary } = await run(root, { size: 16, synthetic: { count: 40, identities: 5 } })
    const out = summary!.stages[0]!
    const train = readUInt8Dataset(join(out.dir!, "dataset.gfds"))
    const ids = readUInt8Dataset(join(out.dir!, IDENTITIES_FILE))
    expect(train.shape).toEqual([36, 16, 16, 3])
    expect(ids.shape).toEqual([30, 16, 16, 3])
    expect(Array.from(ids.labels!.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4])
  })

  it("an IMDB-WIKI folder whose metadata has too few repeated names fails, naming the file", async () => {
    const root = makeRoot()
    await makeWikiFolder(root)
    const { failure } = await run(root, { size: 16 }, "wiki_crop")
    expect(failure).toMatch(/wiki\.mat: needs at least two names with two or more kept faces/)
  })
})
