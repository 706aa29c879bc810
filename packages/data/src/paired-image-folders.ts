/**
 * Readers of pix2pix's two paired layouts (pytorch-CycleGAN-and-pix2pix):
 * - **aligned** (`--dataset_mode aligned`): `<dir>/<split>/*.jpg`, every file holding A and B side by side
 *   (width = 2 x height; A left, B right), each half resized to the load size with PIL's BICUBIC, as the
 *   reference's `AB.crop(...)` then `transforms.Resize`.
 * - **folder pairs** (what `datasets/combine_A_and_B.py` takes): `<dir>/A/<split>/name.png` and
 *   `<dir>/B/<split>/name.png`, paired by file name, both of one pixel size.
 * A file that breaks the layout is an ImageFolderInvalid / ImageDecodeFailed naming it.
 */
import { readFileSync } from "node:fs"
import { basename, join } from "node:path"
import { ImageDecodeFailed, ImageFolderInvalid } from "./errors.ts"
import { decodeRgb } from "./image-decode-to-size.js"
import { listImageFiles } from "./image-folder-reader.ts"
import { resizeLikePil } from "./pil-compatible-resize.js"
import type { TranslationSplit } from "./translation-pairs.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Options of the paired readers. */
export interface PairedReadOptions {
  /** Square size every A and B image is resized to (bicubic). */
  readonly size: number
  /** Read at most this many pairs (first in sorted order). */
  readonly limit?: number
}

const decode = async (file: string) => {
  try {
    return await decodeRgb(readFileSync(file))
  } catch (e) {
    throw new ImageDecodeFailed({ file, reason: (e as Error).message.split("\n")[0] ?? "unknown error" })
  }
}

/** Packed RGB `[h, w, 3]` rows `x0 .. x0 + w` of an image `width` wide. */
const cropColumns = (rgb: Uint8Array, width: number, height: number, x0: number, w: number): Uint8Array => {
  const out = new Uint8Array(w * height * 3)
  for (let y = 0; y < height; y++) out.set(rgb.subarray((y * width + x0) * 3, (y * width + x0 + w) * 3), y * w * 3)
  return out
}

const datasetOf = (data: Uint8Array, count: number, size: number, meta: Record<string, unknown>): UInt8Dataset => ({ kind: "images", shape: [count, size, size, 3], data, meta })

/**
 * Reads an aligned folder (`A|B` side by side per file). Fails with ImageFolderInvalid naming the file whose
 * width is not twice its height, ImageDecodeFailed for a file that does not decode, ImageFolderInvalid for a
 * missing or empty folder.
 */
export const readAlignedFolder = async (folder: string, options: PairedReadOptions): Promise<TranslationSplit & { files: string[] }> => {
  let files = listImageFiles(folder)
  if (options.limit !== undefined && options.limit > 0) files = files.slice(0, options.limit)
  const s = options.size
  const a = new Uint8Array(files.length * s * s * 3), b = new Uint8Array(files.length * s * s * 3)
  for (const [i, file] of files.entries()) {
    const { width, height, rgb } = await decode(file)
    if (width !== 2 * height) {
      throw new ImageFolderInvalid({ folder: file, reason: `an aligned pix2pix image holds A and B side by side, so its width must be twice its height; it is ${width}x${height}` })
    }
    const half = width / 2
    a.set(resizeLikePil(cropColumns(rgb, width, height, 0, half), half, height, 3, s, s, "cubic"), i * s * s * 3)
    b.set(resizeLikePil(cropColumns(rgb, width, height, half, half), half, height, 3, s, s, "cubic"), i * s * s * 3)
  }
  const meta = { source: "aligned-folder", folder, files: files.length, size: s }
  return { a: datasetOf(a, files.length, s, meta), b: datasetOf(b, files.length, s, meta), files: files.map((f) => basename(f)) }
}

/**
 * Reads folder pairs `<folderA>/name` ↔ `<folderB>/name`. Fails with ImageFolderInvalid naming the file without
 * a partner or the pair whose pixel sizes differ, ImageDecodeFailed for a file that does not decode.
 */
export const readFolderPairs = async (folderA: string, folderB: string, options: PairedReadOptions): Promise<TranslationSplit & { files: string[] }> => {
  let filesA = listImageFiles(folderA)
  const namesB = new Set(listImageFiles(folderB).map((f) => basename(f)))
  const missing = filesA.find((f) => !namesB.has(basename(f)))
  if (missing !== undefined) throw new ImageFolderInvalid({ folder: missing, reason: `no partner ${join(folderB, basename(missing))} in the B folder (folder pairs match by file name)` })
  const namesA = new Set(filesA.map((f) => basename(f)))
  const extra = [...namesB].find((n) => !namesA.has(n))
  if (extra !== undefined) throw new ImageFolderInvalid({ folder: join(folderB, extra), reason: `no partner ${join(folderA, extra)} in the A folder (folder pairs match by file name)` })
  if (options.limit !== undefined && options.limit > 0) filesA = filesA.slice(0, options.limit)
  const s = options.size
  const a = new Uint8Array(filesA.length * s * s * 3), b = new Uint8Array(filesA.length * s * s * 3)
  for (const [i, fileA] of filesA.entries()) {
    const fileB = join(folderB, basename(fileA))
    const [imA, imB] = [await decode(fileA), await decode(fileB)]
    if (imA.width !== imB.width || imA.height !== imB.height) {
      throw new ImageFolderInvalid({ folder: fileB, reason: `pair sizes differ: ${fileA} is ${imA.width}x${imA.height}, ${fileB} is ${imB.width}x${imB.height}` })
    }
    a.set(resizeLikePil(imA.rgb, imA.width, imA.height, 3, s, s, "cubic"), i * s * s * 3)
    b.set(resizeLikePil(imB.rgb, imB.width, imB.height, 3, s, s, "cubic"), i * s * s * 3)
  }
  const meta = { source: "folder-pairs", folderA, folderB, files: filesA.length, size: s }
  return { a: datasetOf(a, filesA.length, s, meta), b: datasetOf(b, filesA.length, s, meta), files: filesA.map((f) => basename(f)) }
}
