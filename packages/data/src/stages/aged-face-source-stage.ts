/**
 * Stage `aged-face-source`: faces labelled with Age-cGAN's six age groups, and a set of identities for the
 * face-embedding network. With `dir` set, the IMDB-WIKI folder as distributed (`wiki_crop/` holding `wiki.mat` and the
 * numbered image folders; `metadata` names the .mat); with `dir` empty, the built-in synthetic faces drawn at random ages
 * (generateAgedFaces), so the pipeline runs on a fresh machine.
 *
 * Outputs: `dataset.gfds` (labels = age group) and `holdout.gfds` (split by seed), and `identities.gfds` (labels =
 * identity): synthetic — `synthetic.identities` new identities each drawn at all six ages; IMDB-WIKI — the faces of the
 * 255 most frequent names with at least two kept faces.
 */
import { defineStage, folderInput, StageEvents, tryAsync, trySync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { join } from "node:path"
import { ageGroups } from "../age-groups.ts"
import { DataParamsInvalid, isDataError } from "../errors.ts"
import { readImdbWikiFaces } from "../imdb-wiki-faces.ts"
import { generateAgedFaces } from "../synthetic-anime-faces.ts"
import { selectDatasetItems, type UInt8Dataset, writeUInt8Dataset } from "../uint8-dataset.ts"
import { writeDatasetOutputs } from "./write-dataset-outputs.ts"

/** Output file with the identity-labelled faces. */
export const IDENTITIES_FILE = "identities.gfds"

/** Params of {@link agedFaceSource}. */
export const agedFaceSourceParams = type({
  "+": "reject",
  /** IMDB-WIKI folder (relative to the workspace root) holding the metadata .mat and the images; empty: synthetic faces. */
  dir: "string = ''",
  /** The metadata file inside `dir`: `wiki.mat` or `imdb.mat`. */
  metadata: "string = 'wiki.mat'",
  /** Square size of the faces. */
  size: "number.integer >= 16 = 32",
  /** Smallest IMDB-WIKI face score kept (faces with -Inf, i.e. none found, and with a second face are always dropped). */
  minFaceScore: "number = 1",
  /** Read at most this many kept IMDB-WIKI faces; 0 = all. */
  limit: "number.integer >= 0 = 0",
  /** Fraction held out (the faces re-aged in pictures and metrics). */
  holdoutFraction: "0 <= number < 1 = 0.1",
  seed: "number.integer >= 0 = 0",
  /** The built-in set: how many faces, and how many extra identities (each at all six ages) for the embedding. */
  synthetic: type({ "+": "reject", count: "number.integer >= 1 = 3000", identities: "1 <= number.integer <= 255 = 120" }).default(() => ({})),
})

/** Age-labelled faces (IMDB-WIKI or synthetic) plus identity-labelled faces. */
export const agedFaceSource = defineStage({
  name: "aged-face-source",
  version: 1,
  description: "IMDB-WIKI (data.dir with wiki.mat) or built-in synthetic faces -> faces labelled with 6 age groups + an identity set",
  params: agedFaceSourceParams,
  inputs: { images: folderInput({ optional: true }) },
  outputs: ["dataset.gfds", IDENTITIES_FILE],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const { dataset, identities } = yield* tryAsync(async () => {
        if (inputs.images === undefined) {
          log(`built-in synthetic aged faces: ${params.synthetic.count} faces at ${params.size}x${params.size}, ${params.synthetic.identities} identities x 6 ages (set data.dir to an IMDB-WIKI folder)`)
          const faces = generateAgedFaces({ count: params.synthetic.count, seed: params.seed, size: params.size }).dataset
          return { dataset: faces, identities: syntheticIdentities(params.synthetic.identities, params.seed + 7919, params.size) }
        }
        const read = await readImdbWikiFaces(join(inputs.images.path, params.metadata), { size: params.size, minFaceScore: params.minFaceScore, ...(params.limit > 0 ? { limit: params.limit } : {}) })
        for (const s of read.skipped) log(`skipped ${s.file}: ${s.reason}`)
        log(`IMDB-WIKI ${params.metadata}: ${read.dataset.shape[0]} faces kept; dropped ${JSON.stringify(read.dropped)}`)
        metric("skipped", read.skipped.length)
        return { dataset: read.dataset, identities: frequentIdentities(read.dataset, read.identities, params.metadata) }
      }, isDataError)
      const counts = ageGroups.map((_, g) => dataset.labels!.reduce((n, l) => n + (l === g ? 1 : 0), 0))
      log(`faces per age group ${ageGroups.map((g, i) => `${g}: ${counts[i]}`).join(", ")}`)
      metric("faces", dataset.shape[0] ?? 0)
      metric("identities", (identities.labels ?? new Uint8Array()).reduce((m, l) => Math.max(m, l + 1), 0))
      return yield* trySync(() => {
        writeUInt8Dataset(join(outDir, IDENTITIES_FILE), identities)
        return writeDatasetOutputs(outDir, dataset, { holdoutFraction: params.holdoutFraction, seed: params.seed }, { source: inputs.images ? "imdb-wiki" : "synthetic-aged-faces", ageGroupCounts: counts })
      }, isDataError)
    }),
})

/** `k` new identities, each drawn at all six ages; labels = identity. */
const syntheticIdentities = (k: number, seed: number, size: number): UInt8Dataset => {
  const perAge = ageGroups.map((_, g) => generateAgedFaces({ count: k, seed, size, ageGroup: g }).dataset)
  const item = size * size * 3
  const data = new Uint8Array(6 * k * item)
  const labels = new Uint8Array(6 * k)
  perAge.forEach((ds, g) => {
    data.set(ds.data, g * k * item)
    for (let i = 0; i < k; i++) labels[g * k + i] = i
  })
  return { kind: "images", shape: [6 * k, size, size, 3], data, labels, meta: { source: "synthetic-aged-faces identities", identities: k } }
}

/** The faces of the 255 most frequent identities with at least two faces; labels = identity rank. */
const frequentIdentities = (faces: UInt8Dataset, identities: Uint32Array, file: string): UInt8Dataset => {
  const count = new Map<number, number>()
  for (const id of identities) count.set(id, (count.get(id) ?? 0) + 1)
  const kept = [...count].filter(([, c]) => c >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 255)
  if (kept.length < 2) throw new DataParamsInvalid({ field: file, reason: `needs at least two names with two or more kept faces to train the face embedding, found ${kept.length}` })
  const rank = new Map(kept.map(([id], r) => [id, r]))
  const index: number[] = []
  for (let i = 0; i < identities.length; i++) if (rank.has(identities[i]!)) index.push(i)
  const picked = selectDatasetItems(faces, index)
  return { ...picked, labels: Uint8Array.from(index, (i) => rank.get(identities[i]!)!), meta: { source: "imdb-wiki identities", identities: kept.length } }
}
