/**
 * IMDB-WIKI faces as training data for face aging: the metadata of `wiki.mat` / `imdb.mat` (see
 * imdb-wiki-metadata.ts) plus the images it names, decoded and resized like any image folder (PIL-compatible),
 * labelled with their age group; and the identities (celebrity names) for a face-embedding network.
 */
import { dirname, join } from "node:path"
import { DataParamsInvalid, ImageDecodeFailed } from "./errors.ts"
import { decodeImageFile, type ResizeKernel } from "./image-folder-reader.ts"
import { type ImdbWikiFilters, readImdbWikiMetadata } from "./imdb-wiki-metadata.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Options of {@link readImdbWikiFaces}. */
export interface ImdbWikiFacesOptions extends ImdbWikiFilters {
  /** Square side the faces are resized to (centre crop, like the book's `resize((64, 64))` of the cropped faces). */
  readonly size: number
  /** Read at most this many kept faces (in file order); 0 or undefined = all. */
  readonly limit?: number
  /** Resampling filter (default "lanczos3", PIL's LANCZOS). */
  readonly kernel?: ResizeKernel
  /** "skip" (default): leave unreadable images out and report them; "fail": stop with ImageDecodeFailed. */
  readonly onBadImage?: "fail" | "skip"
}

/** What {@link readImdbWikiFaces} returns. */
export interface ImdbWikiFaces {
  /** Faces `[N, size, size, 3]`, `labels` = age groups 0..5. */
  readonly dataset: UInt8Dataset
  /** Identity index of every face (same name = same identity; an empty name is an identity of its own). */
  readonly identities: Uint32Array
  /** Names by identity index. */
  readonly names: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<{ readonly file: string; readonly reason: string }>
  /** Rows dropped by the metadata filters, counted per reason. */
  readonly dropped: Readonly<Record<string, number>>
}

/**
 * Reads the faces `metadataFile` keeps (valid face score, one face, age in range), with images resolved relative to
 * the folder of the .mat (IMDB-WIKI's `wiki_crop/wiki.mat` beside `wiki_crop/00/…`). Fails with MatFileInvalid /
 * MatFieldInvalid (metadata), DataParamsInvalid (no face kept) or ImageDecodeFailed (a bad image with onBadImage "fail").
 */
export const readImdbWikiFaces = async (metadataFile: string, options: ImdbWikiFacesOptions): Promise<ImdbWikiFaces> => {
  const meta = readImdbWikiMetadata(metadataFile, options)
  const records = options.limit ? meta.records.slice(0, options.limit) : meta.records
  if (records.length === 0) throw new DataParamsInvalid({ field: metadataFile, reason: `no face passes the filters (of ${meta.total} rows: ${JSON.stringify(meta.dropped)})` })
  const root = dirname(metadataFile)
  const item = options.size * options.size * 3
  const data = new Uint8Array(records.length * item)
  const labels = new Uint8Array(records.length)
  const identityOf = new Map<string, number>()
  const names: string[] = []
  const identities = new Uint32Array(records.length)
  const skipped: Array<{ file: string; reason: string }> = []
  let n = 0
  for (const r of records) {
    let pixels: Uint8Array
    try {
      pixels = await decodeImageFile(join(root, r.fullPath), { size: [options.size, options.size], channels: 3, fit: "cover", kernel: options.kernel ?? "lanczos3" })
    } catch (e) {
      if (options.onBadImage === "fail" || !(e instanceof ImageDecodeFailed)) throw e
      skipped.push({ file: r.fullPath, reason: e.reason })
      continue
    }
    data.set(pixels, n * item)
    labels[n] = r.group
    const key = r.name === "" ? `\0row${r.index}` : r.name
    let id = identityOf.get(key)
    if (id === undefined) {
      id = names.length
      identityOf.set(key, id)
      names.push(r.name)
    }
    identities[n] = id
    n++
  }
  if (n === 0) throw new DataParamsInvalid({ field: metadataFile, reason: `none of the ${records.length} kept faces could be read (first: ${skipped[0]?.file}: ${skipped[0]?.reason})` })
  const dataset: UInt8Dataset = {
    kind: "images",
    shape: [n, options.size, options.size, 3],
    data: data.subarray(0, n * item),
    labels: labels.subarray(0, n),
    meta: { source: `imdb-wiki:${meta.dataset}`, rows: meta.total, kept: n, dropped: meta.dropped, skipped: skipped.length },
  }
  return { dataset, identities: identities.subarray(0, n), names, skipped, dropped: { ...meta.dropped } }
}
