/**
 * `CaptionTable`: the captions of a text–image dataset, one row per caption, beside the images' `dataset.gfds`.
 * Row c is caption `captions[c]` describing image `image[c]` of the dataset; an image has one or several captions.
 * `mismatched[c]` is a caption (seeded draw) that does *not* describe image `image[c]` — for GAN-CLS's
 * "real image, wrong text" term: another class (HDF5 sets) or a caption stating an attribute the face lacks
 * (built-in faces); {@link isMismatchedCaption} decides it, so a trainer can also draw fresh wrong captions per step.
 *
 * On disk: `captions.json` = `{ format: "ganflow.captions", version: 1, captions, image, mismatched, classes,
 * names?, attributes?, stated? }` written atomically.
 */
import { type } from "arktype"
import { randomBytes } from "node:crypto"
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { CaptionFileInvalid } from "./errors.ts"
import type { SeededRandom } from "./seeded-random.ts"
import type { FaceAttributes } from "./synthetic-anime-faces.ts"

/** A face attribute a caption can state (a key of {@link FaceAttributes}). */
export type FaceAttributeName = keyof FaceAttributes

/** The captions of a dataset, one row per caption. */
export interface CaptionTable {
  /** C captions. */
  readonly captions: readonly string[]
  /** C image indices: caption c describes item `image[c]` of the dataset. */
  readonly image: Int32Array
  /** C caption indices: a caption that does not describe `image[c]` (seeded draw). */
  readonly mismatched: Int32Array
  /** Class names; image i's class is the dataset's `labels[i]` (empty when the images have no classes). */
  readonly classes: readonly string[]
  /** Per image: its name in the source (HDF5 `name`), when the source has names. */
  readonly names?: readonly string[]
  /** Per image: the attributes it was drawn with (built-in faces). */
  readonly attributes?: readonly FaceAttributes[]
  /** Per caption: the attributes it states, their values being those of its image (built-in faces). */
  readonly stated?: ReadonlyArray<readonly FaceAttributeName[]>
}

/** File name of the caption table in a stage's output folder. */
export const CAPTIONS_FILE = "captions.json"
const FORMAT = "ganflow.captions"

const CaptionTableJson = type({
  format: `'${FORMAT}'`,
  version: "1",
  captions: "string[]",
  image: "number.integer[]",
  mismatched: "number.integer[]",
  classes: "string[]",
  "names?": "string[]",
  "attributes?": "object[]",
  "stated?": "string[][]",
})

/**
 * Whether caption `other` is a wrong text for the image of caption `c`: for tables with face attributes, `other`
 * states an attribute value that image lacks; otherwise the two images' classes differ (`labels`), or, without
 * classes, the two captions describe different images.
 */
export const isMismatchedCaption = (table: CaptionTable, labels: Uint8Array | undefined, c: number, other: number): boolean => {
  const image = table.image[c]!
  const otherImage = table.image[other]!
  if (table.attributes !== undefined && table.stated !== undefined) {
    const own = table.attributes[image]!
    const theirs = table.attributes[otherImage]!
    // a stated eye colour is wrong for a face whose eyes are closed (the colour is not visible)
    return table.stated[other]!.some((name) => own[name] !== theirs[name] || (name === "eyeColor" && own.eyesClosed))
  }
  if (labels !== undefined && table.classes.length > 1) return labels[image] !== labels[otherImage]
  return image !== otherImage
}

/**
 * For each caption, a seeded draw of a mismatched caption ({@link isMismatchedCaption}); up to 64 tries per caption,
 * then the first mismatched one found by a scan. Fails with CaptionFileInvalid when some image has no mismatched
 * caption at all (every caption describes it, e.g. a single class).
 */
export const drawMismatchedCaptions = (
  table: Omit<CaptionTable, "mismatched">,
  labels: Uint8Array | undefined,
  random: SeededRandom,
  where: string,
): Int32Array => {
  const n = table.captions.length
  const full = { ...table, mismatched: new Int32Array(0) }
  const out = new Int32Array(n)
  for (let c = 0; c < n; c++) {
    let found = -1
    for (let k = 0; k < 64 && found < 0; k++) {
      const other = random.int(n)
      if (isMismatchedCaption(full, labels, c, other)) found = other
    }
    for (let k = 0; k < n && found < 0; k++) if (isMismatchedCaption(full, labels, c, (c + k) % n)) found = (c + k) % n
    if (found < 0) throw new CaptionFileInvalid({ file: where, reason: `no caption mismatches caption ${c} (${JSON.stringify(table.captions[c])}): every caption describes its image` })
    out[c] = found
  }
  return out
}

/** Checks the table's arrays agree with each other and with `images` items; throws CaptionFileInvalid naming `where`. */
export const validateCaptionTable = (table: CaptionTable, images: number, where: string): void => {
  const fail = (reason: string) => new CaptionFileInvalid({ file: where, reason })
  const n = table.captions.length
  if (table.image.length !== n) throw fail(`${table.image.length} image indices for ${n} captions`)
  if (table.mismatched.length !== n) throw fail(`${table.mismatched.length} mismatched indices for ${n} captions`)
  for (let c = 0; c < n; c++) {
    if (table.image[c]! < 0 || table.image[c]! >= images) throw fail(`caption ${c} names image ${table.image[c]}, the dataset has ${images}`)
    if (table.mismatched[c]! < 0 || table.mismatched[c]! >= n) throw fail(`caption ${c}'s mismatched caption ${table.mismatched[c]} is not one of the ${n} captions`)
  }
  if (table.names !== undefined && table.names.length !== images) throw fail(`${table.names.length} names for ${images} images`)
  if (table.attributes !== undefined && table.attributes.length !== images) throw fail(`${table.attributes.length} attribute records for ${images} images`)
  if (table.stated !== undefined && table.stated.length !== n) throw fail(`${table.stated.length} stated-attribute lists for ${n} captions`)
}

/** Writes `file` atomically (temporary name + rename). */
export const writeCaptionTable = (file: string, table: CaptionTable): void => {
  const json = {
    format: FORMAT,
    version: 1,
    captions: table.captions,
    image: Array.from(table.image),
    mismatched: Array.from(table.mismatched),
    classes: table.classes,
    ...(table.names !== undefined ? { names: table.names } : {}),
    ...(table.attributes !== undefined ? { attributes: table.attributes } : {}),
    ...(table.stated !== undefined ? { stated: table.stated } : {}),
  }
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`
  try {
    writeFileSync(tmp, JSON.stringify(json))
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new CaptionFileInvalid({ file, reason: `cannot write: ${(e as Error).message}` })
  }
}

/** Reads a caption table; CaptionFileInvalid when the file is missing, not JSON, or off-schema. */
export const readCaptionTable = (file: string): CaptionTable => {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new CaptionFileInvalid({ file, reason: `cannot read: ${(e as Error).message}` })
  }
  const parsed = CaptionTableJson(json)
  if (parsed instanceof type.errors) throw new CaptionFileInvalid({ file, reason: parsed.summary })
  return {
    captions: parsed.captions,
    image: Int32Array.from(parsed.image),
    mismatched: Int32Array.from(parsed.mismatched),
    classes: parsed.classes,
    ...(parsed.names !== undefined ? { names: parsed.names } : {}),
    ...(parsed.attributes !== undefined ? { attributes: parsed.attributes as unknown as FaceAttributes[] } : {}),
    ...(parsed.stated !== undefined ? { stated: parsed.stated as FaceAttributeName[][] } : {}),
  }
}
