/**
 * The caption-embeddings file `embeddings.gfemb`: φ(t) for every row of a {@link CaptionTable}, float32 [C, D]
 * (row c embeds caption c). Written by `text-image-source` for HDF5 sets (their shipped char-CNN-RNN embeddings,
 * D = 1024) and by `text-encoder` for the built-in faces.
 *
 * Layout (little-endian): "GFEMB\n\0\0" (8 bytes), uint32 rows C, uint32 dimension D, then C·D float32.
 * Written to a temporary name and renamed into place.
 */
import { randomBytes } from "node:crypto"
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { CaptionFileInvalid } from "./errors.ts"

/** C rows of D floats, row-major. */
export interface CaptionEmbeddings {
  readonly rows: number
  readonly dim: number
  readonly values: Float32Array
}

/** File name of the embeddings in a stage's output folder. */
export const CAPTION_EMBEDDINGS_FILE = "embeddings.gfemb"
const MAGIC = new Uint8Array([0x47, 0x46, 0x45, 0x4d, 0x42, 0x0a, 0, 0]) // "GFEMB\n\0\0"

/** Writes `file` atomically; CaptionFileInvalid when the values do not fill rows x dim or the write fails. */
export const writeCaptionEmbeddings = (file: string, embeddings: CaptionEmbeddings): void => {
  const { rows, dim, values } = embeddings
  if (values.length !== rows * dim) throw new CaptionFileInvalid({ file, reason: `${values.length} values for ${rows} x ${dim}` })
  const bytes = new Uint8Array(16 + values.length * 4)
  bytes.set(MAGIC, 0)
  const view = new DataView(bytes.buffer)
  view.setUint32(8, rows, true)
  view.setUint32(12, dim, true)
  for (let i = 0; i < values.length; i++) view.setFloat32(16 + 4 * i, values[i]!, true)
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`
  try {
    writeFileSync(tmp, bytes)
    renameSync(tmp, file)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new CaptionFileInvalid({ file, reason: `cannot write: ${(e as Error).message}` })
  }
}

/** Reads `file`; CaptionFileInvalid when it is missing, lacks the magic, or its size disagrees with its header. */
export const readCaptionEmbeddings = (file: string): CaptionEmbeddings => {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    throw new CaptionFileInvalid({ file, reason: `cannot read: ${(e as Error).message}` })
  }
  if (bytes.length < 16 || !MAGIC.every((b, i) => bytes[i] === b)) throw new CaptionFileInvalid({ file, reason: "missing 'GFEMB' magic (not a caption-embeddings file)" })
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const rows = view.getUint32(8, true)
  const dim = view.getUint32(12, true)
  if (bytes.length !== 16 + rows * dim * 4) throw new CaptionFileInvalid({ file, reason: `header says ${rows} x ${dim} floats (${16 + rows * dim * 4} bytes), file has ${bytes.length} bytes` })
  const values = new Float32Array(rows * dim)
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(16 + 4 * i, true)
  return { rows, dim, values }
}
