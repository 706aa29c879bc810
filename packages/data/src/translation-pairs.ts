/**
 * The data of an image-to-image translation: a train and a test split, each a domain A and a domain B as
 * {@link UInt8Dataset}s of one square size. Paired data (pix2pix) has item i of A matching item i of B; unpaired
 * data (CycleGAN) has independent A and B of any lengths.
 */
import { DataParamsInvalid } from "./errors.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** One split: the A and B images. */
export interface TranslationSplit {
  readonly a: UInt8Dataset
  readonly b: UInt8Dataset
}

/** Train and test splits of a translation dataset. */
export interface TranslationData {
  readonly train: TranslationSplit
  readonly test: TranslationSplit
  /** Whether item i of A and item i of B belong together. */
  readonly paired: boolean
}

/** pix2pix's `--direction`: AtoB keeps the layout's A as input, BtoA swaps the domains. */
export type TranslationDirection = "AtoB" | "BtoA"

/** The splits with A and B swapped when `direction` is BtoA. */
export const orientTranslation = (data: TranslationData, direction: TranslationDirection): TranslationData =>
  direction === "AtoB" ? data : { ...data, train: { a: data.train.b, b: data.train.a }, test: { a: data.test.b, b: data.test.a } }

/** pix2pix's load size for a crop size: 286 for 256 (random jitter: resize to 286, crop 256), scaled for others. */
export const jitterLoadSize = (cropSize: number): number => Math.round((cropSize * 286) / 256)

/** The size images are stored at: `loadSize`, or with 0 pix2pix's jitter size for `cropSize`; DataParamsInvalid when smaller than the crop. */
export const storedSize = (cropSize: number, loadSize: number): number => {
  const size = loadSize === 0 ? jitterLoadSize(cropSize) : loadSize
  if (size < cropSize) throw new DataParamsInvalid({ field: "loadSize", reason: `must be >= cropSize ${cropSize}, got ${size}` })
  return size
}

/** Throws DataParamsInvalid unless a paired split has as many A as B items. */
export const assertPaired = (split: TranslationSplit, where: string): void => {
  if (split.a.shape[0] !== split.b.shape[0]) {
    throw new DataParamsInvalid({ field: where, reason: `paired data needs as many A as B images, got ${split.a.shape[0]} and ${split.b.shape[0]}` })
  }
}

/** The first `count` images of `ds` (`[N, L, L, C]`), centre-cropped to `size` (how evaluation sees data stored at the jitter's load size): uint8 `[min(count, N), size, size, C]`. */
export const centreCroppedImages = (ds: UInt8Dataset, count: number, size: number): { pixels: Uint8Array; count: number } => {
  const [n, load, , c] = ds.shape as [number, number, number, number]
  const k = Math.min(count, n)
  const off = Math.floor((load - size) / 2)
  const pixels = new Uint8Array(k * size * size * c)
  for (let i = 0; i < k; i++) {
    for (let y = 0; y < size; y++) {
      const src = ((i * load + y + off) * load + off) * c
      pixels.set(ds.data.subarray(src, src + size * c), ((i * size + y) * size) * c)
    }
  }
  return { pixels, count: k }
}
