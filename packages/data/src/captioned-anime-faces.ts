/**
 * The built-in captioned dataset: the synthetic anime faces with one or several English captions per face, written
 * from the attributes each face was drawn with. Phrasing varies by seed — which attributes a caption states, their
 * order, synonyms ("blonde" / "golden", "twin tails" / "twintails"), sentence frames ("a girl with …",
 * "this character has …", a bare list) — but a caption never states anything the face does not have, and every
 * caption lists the attributes it states (`stated`), so metrics can check generated images against it.
 * Deterministic: face i and its captions depend only on (seed, i).
 */
import type { CaptionTable, FaceAttributeName } from "./caption-table.ts"
import { DataParamsInvalid } from "./errors.ts"
import { SeededRandom } from "./seeded-random.ts"
import { generateAnimeFacesWithAttributes, type FaceAttributes } from "./synthetic-anime-faces.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Options of {@link generateCaptionedAnimeFaces}. */
export interface CaptionedAnimeFacesOptions {
  readonly count: number
  readonly seed: number
  /** Image size in pixels (default 64). */
  readonly size?: number
  /** Captions per face (default 2), each phrased independently. */
  readonly captionsPerFace?: number
}

/** A caption and the attributes it states. */
export interface FaceCaption {
  readonly text: string
  readonly stated: readonly FaceAttributeName[]
}

const COLOUR_WORDS: Readonly<Record<string, readonly string[]>> = {
  black: ["black", "jet black"],
  brown: ["brown", "chestnut"],
  blonde: ["blonde", "golden", "yellow"],
  orange: ["orange", "ginger"],
  red: ["red", "crimson"],
  pink: ["pink"],
  purple: ["purple", "violet"],
  blue: ["blue"],
  aqua: ["aqua", "cyan", "teal"],
  green: ["green"],
  white: ["white", "silver"],
  yellow: ["yellow", "golden", "amber"],
}

const HAIR: Readonly<Record<FaceAttributes["hairStyle"], { readonly coloured: readonly string[]; readonly plain: readonly string[] }>> = {
  long: { coloured: ["long {c} hair", "{c} hair falling past the shoulders"], plain: ["long hair", "long flowing hair"] },
  bob: { coloured: ["a {c} bob", "{c} hair cut in a bob"], plain: ["a bob cut", "bobbed hair"] },
  twintails: { coloured: ["{c} twin tails", "{c} hair in twintails"], plain: ["twin tails", "twintails"] },
  short: { coloured: ["short {c} hair", "cropped {c} hair"], plain: ["short hair", "cropped hair"] },
}
const BANGS: Readonly<Record<FaceAttributes["bangs"], readonly string[]>> = {
  straight: ["straight bangs", "blunt bangs"],
  spiky: ["spiky bangs", "choppy bangs"],
  swept: ["side swept bangs", "swept bangs"],
  parted: ["parted bangs", "bangs parted in the middle"],
}
const MOUTH: Readonly<Record<FaceAttributes["mouth"], readonly string[]>> = {
  smile: ["a smile", "a gentle smile"],
  open: ["an open mouth", "the mouth open"],
  flat: ["a neutral expression", "a straight mouth"],
  cat: ["a cat like smile", "a cat mouth"],
}
const ACCESSORY: Readonly<Record<Exclude<FaceAttributes["accessory"], "none">, readonly string[]>> = {
  headband: ["a headband", "a hairband"],
  ribbon: ["a ribbon in the hair", "a hair bow"],
}
const FRAMES = ["a girl with {x}", "an anime girl with {x}", "this character has {x}", "portrait of a girl with {x}", "{x}", "a face with {x}"]

/** "a, b and c". */
const listOf = (parts: readonly string[]): string => (parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`)

/**
 * One caption of a face, drawn from `random`: hair (colour with probability 0.9, style 0.6), eyes (colour 0.8, or
 * "closed eyes" when they are), and each of bangs, mouth, blush (when present), accessory (when present) with
 * probability 0.3–0.5, in shuffled order after the hair, in one of several sentence frames.
 */
export const captionFace = (face: FaceAttributes, random: SeededRandom): FaceCaption => {
  const stated: FaceAttributeName[] = []
  const parts: string[] = []
  const colour = random.chance(0.9)
  const style = random.chance(0.6)
  if (colour || style) {
    const c = random.pick(COLOUR_WORDS[face.hairColor]!)
    const words = HAIR[face.hairStyle]
    if (colour && style) parts.push(random.pick(words.coloured).replace("{c}", c))
    else if (colour) parts.push(`${c} hair`)
    else parts.push(random.pick(words.plain))
    if (colour) stated.push("hairColor")
    if (style) stated.push("hairStyle")
  }
  const rest: Array<{ readonly text: string; readonly name: FaceAttributeName }> = []
  if (face.eyesClosed) rest.push({ text: random.pick(["closed eyes", "eyes closed"]), name: "eyesClosed" })
  else if (random.chance(0.8)) rest.push({ text: `${random.pick(COLOUR_WORDS[face.eyeColor]!)} eyes`, name: "eyeColor" })
  if (random.chance(0.3)) rest.push({ text: random.pick(BANGS[face.bangs]), name: "bangs" })
  if (random.chance(0.35)) rest.push({ text: random.pick(MOUTH[face.mouth]), name: "mouth" })
  if (face.blush && random.chance(0.4)) rest.push({ text: random.pick(["blushing cheeks", "rosy cheeks", "a blush"]), name: "blush" })
  if (face.accessory !== "none" && random.chance(0.5)) rest.push({ text: random.pick(ACCESSORY[face.accessory]), name: "accessory" })
  random.shuffleInPlace(rest)
  for (const r of rest) {
    parts.push(r.text)
    stated.push(r.name)
  }
  if (parts.length === 0) {
    parts.push(`${random.pick(COLOUR_WORDS[face.hairColor]!)} hair`)
    stated.push("hairColor")
  }
  return { text: random.pick(FRAMES).replace("{x}", listOf(parts)), stated }
}

/**
 * `count` faces (as {@link generateAnimeFacesWithAttributes}) with `captionsPerFace` captions each, in a caption table
 * (captions of face i at rows i·k … i·k + k − 1) without `mismatched` (see drawMismatchedCaptions). Fails with
 * DataParamsInvalid on a bad count, size or captionsPerFace.
 */
export const generateCaptionedAnimeFaces = (
  options: CaptionedAnimeFacesOptions,
): { readonly dataset: UInt8Dataset; readonly table: Omit<CaptionTable, "mismatched"> } => {
  const k = options.captionsPerFace ?? 2
  if (!Number.isInteger(k) || k < 1) throw new DataParamsInvalid({ field: "captionsPerFace", reason: `must be a positive integer, got ${k}` })
  const { dataset, attributes } = generateAnimeFacesWithAttributes({ count: options.count, seed: options.seed, ...(options.size !== undefined ? { size: options.size } : {}) })
  const captions: string[] = []
  const image = new Int32Array(attributes.length * k)
  const stated: FaceAttributeName[][] = []
  for (const [i, face] of attributes.entries()) {
    const random = new SeededRandom((options.seed * 1_000_003 + i) ^ 0x5eed_ca9)
    for (let j = 0; j < k; j++) {
      const caption = captionFace(face, random)
      image[i * k + j] = i
      captions.push(caption.text)
      stated.push([...caption.stated])
    }
  }
  return {
    dataset: { ...dataset, meta: { ...dataset.meta, captionsPerFace: k } },
    table: { captions, image, classes: [], attributes, stated },
  }
}
