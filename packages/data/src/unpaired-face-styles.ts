/**
 * Built-in unpaired translation domains: A = the synthetic anime faces in colour, B = other faces (another seed,
 * so no face appears in both domains) printed as sepia ink ({@link sepiaInk}). CycleGAN must learn colour ↔ ink
 * without ever seeing one face in both styles. Deterministic by seed; test faces follow the train faces.
 */
import { DataParamsInvalid } from "./errors.ts"
import { generateAnimeFaces } from "./synthetic-anime-faces.ts"
import { sepiaInk } from "./translation-face-looks.ts"
import type { TranslationData } from "./translation-pairs.ts"
import { selectDatasetItems, type UInt8Dataset } from "./uint8-dataset.ts"

/** Options of {@link generateFaceStyleDomains}. */
export interface FaceStyleDomainsOptions {
  readonly trainCountA: number
  readonly trainCountB: number
  readonly testCount: number
  readonly seed: number
  readonly size: number
}

/** Seed offset of domain B's faces. */
const DOMAIN_B_SEED_OFFSET = 7919

/** Colour faces (A) and sepia-ink faces of other seeds (B); fails with DataParamsInvalid on bad counts or size. */
export const generateFaceStyleDomains = (options: FaceStyleDomainsOptions): TranslationData => {
  const { size, testCount } = options
  if (!Number.isInteger(testCount) || testCount < 1) throw new DataParamsInvalid({ field: "testCount", reason: `must be a positive integer, got ${testCount}` })
  const colour = generateAnimeFaces({ count: options.trainCountA + testCount, seed: options.seed, size })
  const other = generateAnimeFaces({ count: options.trainCountB + testCount, seed: options.seed + DOMAIN_B_SEED_OFFSET, size })
  const item = size * size * 3
  const ink = new Uint8Array(other.data.length)
  for (let i = 0; i < other.shape[0]!; i++) ink.set(sepiaInk(other.data.subarray(i * item, (i + 1) * item), size), i * item)
  const a: UInt8Dataset = { ...colour, meta: { source: "synthetic-face-styles", domain: "colour", seed: options.seed, size } }
  const b: UInt8Dataset = { kind: "images", shape: [...other.shape], data: ink, meta: { source: "synthetic-face-styles", domain: "sepia-ink", seed: options.seed + DOMAIN_B_SEED_OFFSET, size } }
  const split = (ds: UInt8Dataset, from: number, count: number) => selectDatasetItems(ds, Array.from({ length: count }, (_, i) => from + i))
  return {
    train: { a: split(a, 0, options.trainCountA), b: split(b, 0, options.trainCountB) },
    test: { a: split(a, options.trainCountA, testCount), b: split(b, options.trainCountB, testCount) },
    paired: false,
  }
}
