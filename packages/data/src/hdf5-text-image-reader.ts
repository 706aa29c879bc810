/**
 * Reads the text–image HDF5 layout of the common PyTorch implementation of Reed et al. 2016
 * (aelnouby/Text-to-Image-Synthesis: `birds.hdf5` for CUB-200-2011, `flowers.hdf5` for Oxford-102):
 *
 *   /train, /valid, /test              one group per split
 *     /<split>/<example>/name          string: the image's name (several examples may share an image)
 *     /<split>/<example>/img           the JPEG file's bytes as an opaque scalar (h5py `np.void(bytes)`)
 *     /<split>/<example>/embeddings    float [D] (one caption) or [k, D] (k captions): char-CNN-RNN φ(t), D = 1024
 *     /<split>/<example>/class         string: the class (`001.Black_footed_Albatross`)
 *     /<split>/<example>/txt           string: the caption(s), one per line (or a string array of k)
 *
 * Examples that share a `name` (the converter writes one example per caption) share one decoded image, so the
 * result is images + a caption table (row per caption → its image) + one embedding row per caption. Images are
 * decoded with the data package's PIL-compatible decoder at `size`.
 */
import { decodeToSize } from "./image-decode-to-size.js"
import type { CaptionEmbeddings } from "./caption-embeddings-file.ts"
import type { CaptionTable } from "./caption-table.ts"
import { Hdf5FileInvalid } from "./errors.ts"
import { HDF5_TYPE_CLASS, hdf5Path, openHdf5File, type Hdf5Dataset, type Hdf5File } from "./hdf5-file.ts"
import type { ResizeKernel } from "./image-folder-reader.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** The splits of the layout. */
export const TEXT_IMAGE_SPLITS = ["train", "valid", "test"] as const
/** One split group's name. */
export type TextImageSplit = (typeof TEXT_IMAGE_SPLITS)[number]

/** Options of {@link readTextImageHdf5}. */
export interface TextImageHdf5Options {
  /** Split groups to read, in this order (default `["train"]`). */
  readonly splits?: readonly TextImageSplit[]
  /** Square size the images are decoded to (default 64). */
  readonly size?: number
  /** How images reach the square size (default "fill": the reference implementation resizes without cropping). */
  readonly fit?: "cover" | "fill" | "contain"
  /** Resampling filter (default "lanczos3" = PIL's LANCZOS). */
  readonly kernel?: ResizeKernel
  /** Expected embedding length D (default 1024, the char-CNN-RNN's). */
  readonly embeddingSize?: number
  /** Read at most this many examples (groups), in order; 0 or absent = all. */
  readonly limit?: number
}

/** A text–image set: images (labels = class ids), one caption-table row and one embedding row per caption. */
export interface TextImageSet {
  readonly dataset: UInt8Dataset
  /** Without `mismatched`: that is a seeded draw the caller makes ({@link drawMismatchedCaptions}). */
  readonly table: Omit<CaptionTable, "mismatched">
  readonly embeddings: CaptionEmbeddings
  /** Examples (groups) read, per split. */
  readonly examples: Readonly<Record<string, number>>
}

/** The string a scalar string dataset holds (h5py writes str as a variable-length UTF-8 string). */
const stringOf = (d: Hdf5Dataset, file: string): string => {
  if (typeof d.value === "string") return d.value
  if (d.value instanceof Uint8Array && d.typeClass !== HDF5_TYPE_CLASS.opaque) return new TextDecoder().decode(d.value).replace(/\0+$/, "")
  if (typeof d.value === "number" || typeof d.value === "bigint") return String(d.value)
  throw new Hdf5FileInvalid({ file, path: d.path, reason: `expected a string, got ${Array.isArray(d.value) ? `an array of ${d.value.length}` : typeof d.value}` })
}

/** The captions in `txt`: a string array, or one string with one caption per line (blank lines dropped). */
const captionsOf = (d: Hdf5Dataset, file: string): string[] => {
  const lines = Array.isArray(d.value) ? d.value.map(String) : stringOf(d, file).split("\n")
  return lines.map((l) => l.trim()).filter((l) => l.length > 0)
}

/** JPEG/PNG bytes of `img`: an opaque scalar, or a uint8 array. */
const imageBytesOf = (d: Hdf5Dataset, file: string): Uint8Array => {
  if (d.value instanceof Uint8Array && (d.typeClass === HDF5_TYPE_CLASS.opaque || d.typeClass === HDF5_TYPE_CLASS.integer)) return d.value
  if (d.value instanceof ArrayBuffer) return new Uint8Array(d.value)
  throw new Hdf5FileInvalid({ file, path: d.path, reason: `expected the image file's bytes (opaque scalar or uint8 array), got H5T class ${d.typeClass}` })
}

/** Embedding rows of `embeddings`: shape [D] is one row, [k, D] is k rows. */
const embeddingRowsOf = (d: Hdf5Dataset, file: string, size: number): Float32Array[] => {
  const fail = (reason: string) => new Hdf5FileInvalid({ file, path: d.path, reason })
  if (d.typeClass !== HDF5_TYPE_CLASS.float && d.typeClass !== HDF5_TYPE_CLASS.integer) throw fail(`expected float embeddings, got H5T class ${d.typeClass}`)
  const shape = d.shape
  const ok = (shape.length === 1 && shape[0] === size) || (shape.length === 2 && shape[1] === size && shape[0]! >= 1)
  if (!ok) throw fail(`wrong embedding size: shape [${shape.join(", ")}], expected [${size}] or [k, ${size}]`)
  const values = Float32Array.from(d.value as ArrayLike<number>)
  const k = shape.length === 1 ? 1 : shape[0]!
  return Array.from({ length: k }, (_, i) => values.subarray(i * size, (i + 1) * size))
}

/** Reads one example group's members; each failure names its path. */
const readExample = (h5: Hdf5File, path: string, size: number) => {
  const member = (name: string) => h5.dataset(hdf5Path(path, name))
  const embeddings = embeddingRowsOf(member("embeddings"), h5.file, size)
  const txt = member("txt")
  const captions = captionsOf(txt, h5.file)
  if (captions.length !== embeddings.length) {
    throw new Hdf5FileInvalid({ file: h5.file, path: txt.path, reason: `${captions.length} caption(s) for ${embeddings.length} embedding row(s)` })
  }
  return { name: stringOf(member("name"), h5.file), className: stringOf(member("class"), h5.file), img: member("img"), captions, embeddings }
}

/**
 * Reads `file` (see the module comment). Fails with {@link Hdf5FileInvalid} naming the file and the path inside it:
 * not HDF5, truncated, a missing split group or member, a wrong embedding size, captions and embeddings of different
 * counts, more than 256 classes; with ImageDecodeFailed (naming `file:/path/img`) for image bytes that do not decode.
 */
export const readTextImageHdf5 = async (file: string, options: TextImageHdf5Options = {}): Promise<TextImageSet> => {
  const splits = options.splits ?? ["train"]
  const size = options.size ?? 64
  const embeddingSize = options.embeddingSize ?? 1024
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity
  const decodeOptions = { size: [size, size] as const, channels: 3 as const, fit: options.fit ?? "fill", kernel: options.kernel ?? "lanczos3" }
  const h5 = await openHdf5File(file)
  try {
    for (const split of splits) {
      if (!h5.isGroup(`/${split}`)) {
        throw new Hdf5FileInvalid({ file, path: `/${split}`, reason: `missing split group (the file has ${h5.members("/").map((m) => `/${m}`).join(", ") || "no groups"}; expected /train, /valid, /test)` })
      }
    }
    const imageIndex = new Map<string, number>()
    const pixels: Uint8Array[] = []
    const names: string[] = []
    const imageClass: string[] = []
    const captions: string[] = []
    const image: number[] = []
    const rows: Float32Array[] = []
    const examples: Record<string, number> = {}
    let read = 0
    for (const split of splits) {
      examples[split] = 0
      for (const group of h5.members(`/${split}`)) {
        if (read >= limit) break
        const path = `/${split}/${group}`
        const ex = readExample(h5, path, embeddingSize)
        const bytes = imageBytesOf(ex.img, file)
        const key = `${ex.name}\0${bytes.length}`
        let index = imageIndex.get(key)
        if (index === undefined) {
          index = pixels.length
          imageIndex.set(key, index)
          try {
            pixels.push(await decodeToSize(bytes, decodeOptions))
          } catch (e) {
            throw new Hdf5FileInvalid({ file, path: ex.img.path, reason: `image bytes do not decode: ${String((e as Error).message ?? e).split("\n")[0]}` })
          }
          names.push(ex.name)
          imageClass.push(ex.className)
        }
        for (const [k, caption] of ex.captions.entries()) {
          captions.push(caption)
          image.push(index)
          rows.push(ex.embeddings[k]!)
        }
        examples[split]++
        read++
      }
    }
    if (pixels.length === 0) throw new Hdf5FileInvalid({ file, path: `/${splits.join(", /")}`, reason: "no examples" })
    const classes = [...new Set(imageClass)].sort()
    if (classes.length > 256) throw new Hdf5FileInvalid({ file, path: "/", reason: `${classes.length} classes; class ids are stored as uint8 (at most 256)` })
    const classId = new Map(classes.map((c, i) => [c, i]))
    const item = size * size * 3
    const data = new Uint8Array(pixels.length * item)
    pixels.forEach((p, i) => data.set(p, i * item))
    const values = new Float32Array(rows.length * embeddingSize)
    rows.forEach((r, i) => values.set(r, i * embeddingSize))
    return {
      dataset: {
        kind: "images",
        shape: [pixels.length, size, size, 3],
        data,
        labels: Uint8Array.from(imageClass, (c) => classId.get(c)!),
        meta: { source: "hdf5", file, splits: [...splits], size },
      },
      table: { captions, image: Int32Array.from(image), classes, names },
      embeddings: { rows: rows.length, dim: embeddingSize, values },
      examples,
    }
  } finally {
    h5.close()
  }
}
