/**
 * Reads a folder of PNG/JPEG images into a compact {@link UInt8Dataset}
 * (N x H x W x C uint8): decoded (libjpeg-turbo, or sharp for other formats) and resized with
 * the pixels PIL gives (pil-compatible-resize.js), several
 * images in flight at once, files in sorted order so the result is
 * deterministic. A file that does not decode is an ImageDecodeFailed naming
 * it (`onBadImage: "fail"`, the default) or is skipped and counted
 * (`onBadImage: "skip"`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { availableParallelism } from "node:os"
import { extname, join, relative } from "node:path"
import sharp from "sharp"
import { ImageDecodeFailed, ImageFolderInvalid } from "./errors.ts"
import { decodeToSize } from "./image-decode-to-size.js"
import { decodeImagesOnWorkers } from "./image-decode-workers.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/** Resampling filter, computed as PIL computes NEAREST, BILINEAR, BICUBIC, LANCZOS (names as sharp spells them). */
export type ResizeKernel = "nearest" | "linear" | "cubic" | "lanczos3"

/** Options of {@link readImageFolder}. */
export interface ImageFolderOptions {
  /** Output size in pixels: one number for square, or [height, width]. */
  readonly size: number | readonly [number, number]
  /** 3 = RGB (default), 1 = grayscale. Alpha is dropped. */
  readonly channels?: 1 | 3
  /**
   * How to reach the size: "cover" (default, centre crop: ImageOps.fit), "fill" (stretch: Image.resize),
   * "contain" (letterbox, black: ImageOps.pad).
   */
  readonly fit?: "cover" | "fill" | "contain"
  /** Resampling filter (default "lanczos3" = PIL's LANCZOS, antialiased when shrinking). */
  readonly kernel?: ResizeKernel
  /** "fail" (default): first bad file stops with ImageDecodeFailed; "skip": leave it out and report it. */
  readonly onBadImage?: "fail" | "skip"
  /** Images decoded at once per thread (default 8 with workers, 16 without). */
  readonly concurrency?: number
  /**
   * Worker threads (default: min(4, CPUs - 1) for folders of 256+ images on machines with more than 2 CPUs,
   * else 0 = decode on this thread).
   * Decoding (libjpeg-turbo in wasm) and resizing are synchronous work on the calling thread, so workers are
   * what makes large folders fast.
   */
  readonly workers?: number
  /** Also read sub-folders (default false). */
  readonly recursive?: boolean
  /** Read at most this many files (first in sorted order). */
  readonly limit?: number
}

/** Result: the dataset plus which files went in and which were skipped. */
export interface ImageFolderResult {
  readonly dataset: UInt8Dataset
  /** Paths relative to the folder, in dataset order. */
  readonly files: ReadonlyArray<string>
  readonly skipped: ReadonlyArray<{ readonly file: string; readonly reason: string }>
}

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg"])

/** Image files under `folder` (sorted, by extension). Fails with ImageFolderInvalid when missing or empty. */
export const listImageFiles = (folder: string, recursive = false): string[] => {
  const out: string[] = []
  const walk = (dir: string) => {
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (e) {
      throw new ImageFolderInvalid({ folder: dir, reason: `cannot list image folder: ${(e as Error).message}` })
    }
    for (const e of entries) {
      const p = join(dir, e.name)
      if (e.isDirectory()) {
        if (recursive) walk(p)
      } else if (IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) {
        out.push(p)
      }
    }
  }
  walk(folder)
  if (out.length === 0) throw new ImageFolderInvalid({ folder, reason: "no .png/.jpg/.jpeg files in the image folder" })
  return out.sort()
}

/**
 * Decodes one image file to raw uint8 pixels [height, width, channels], with the pixels PIL gives
 * (`Image.open(f).convert("RGB" | "L")`, then `Image.resize` / `ImageOps.fit` / `ImageOps.pad`
 * for fit "fill" / "cover" / "contain"; see image-decode-to-size.js).
 * Fails with ImageDecodeFailed naming the file (truncated, not an image, …).
 */
export const decodeImageFile = async (
  file: string,
  options: { size: readonly [number, number]; channels: 1 | 3; fit: "cover" | "fill" | "contain"; kernel: ResizeKernel },
): Promise<Uint8Array> => {
  try {
    // Reading the bytes ourselves is measurably faster than letting libvips open small files.
    return await decodeToSize(readFileSync(file), options)
  } catch (e) {
    throw new ImageDecodeFailed({ file, reason: (e as Error).message.split("\n")[0] ?? "unknown error" })
  }
}

/**
 * Reads every PNG/JPEG in `folder` into one uint8 dataset [N, H, W, C].
 * Fails with ImageFolderInvalid (missing/empty folder, all images bad) or ImageDecodeFailed (a bad file, when onBadImage is "fail").
 */
export const readImageFolder = async (folder: string, options: ImageFolderOptions): Promise<ImageFolderResult> => {
  try {
    if (!statSync(folder).isDirectory()) throw new Error("not a directory")
  } catch (e) {
    throw new ImageFolderInvalid({ folder, reason: `image folder not found: ${(e as Error).message}` })
  }
  const size: [number, number] = typeof options.size === "number" ? [options.size, options.size] : [options.size[0], options.size[1]]
  if (!size.every((d) => Number.isInteger(d) && d > 0)) throw new ImageFolderInvalid({ folder, reason: `size ${JSON.stringify(options.size)} must be positive integers` })
  const channels = options.channels ?? 3
  const decodeOptions = { size, channels, fit: options.fit ?? "cover", kernel: options.kernel ?? "lanczos3" } as const
  const onBad = options.onBadImage ?? "fail"
  let files = listImageFiles(folder, options.recursive ?? false)
  if (options.limit !== undefined) files = files.slice(0, options.limit)
  const itemSize = size[0] * size[1] * channels
  // Worker threads pay off for large folders: decoding and resizing are synchronous CPU work, so one thread per core.
  const cores = availableParallelism()
  const workers = options.workers ?? (files.length >= 256 && cores > 1 ? Math.min(4, cores) : 0)
  let data: Uint8Array
  let ok: Uint8Array
  const skipped: Array<{ file: string; reason: string }> = []
  // libvips' operation cache only costs time and memory when every image is new: off while we
  // read, and the caller's limits restored afterwards (the setting is process-wide).
  const cacheBefore = sharp.cache()
  sharp.cache(false)
  try {
    if (workers > 0) {
      const result = await decodeImagesOnWorkers({
        files, size, channels, fit: decodeOptions.fit, kernel: decodeOptions.kernel, stopOnFailure: onBad === "fail",
        workers, concurrencyPerWorker: options.concurrency ?? 8,
      })
      data = result.data
      ok = result.ok
      const first = result.failures[0]
      if (first !== undefined && onBad === "fail") throw new ImageDecodeFailed({ file: files[first.index] as string, reason: first.reason })
      for (const f of result.failures) skipped.push({ file: relative(folder, files[f.index] as string), reason: f.reason })
    } else {
      data = new Uint8Array(files.length * itemSize)
      ok = new Uint8Array(files.length)
      let next = 0
      let failure: unknown
      const worker = async () => {
        while (failure === undefined) {
          const i = next++
          if (i >= files.length) return
          const file = files[i] as string
          try {
            data.set(await decodeImageFile(file, decodeOptions), i * itemSize)
            ok[i] = 1
          } catch (e) {
            if (onBad === "fail") failure ??= e
            else skipped.push({ file: relative(folder, file), reason: (e as ImageDecodeFailed).reason })
          }
        }
      }
      const concurrency = Math.max(1, Math.min(options.concurrency ?? 16, files.length))
      await Promise.all(Array.from({ length: concurrency }, worker))
      if (failure !== undefined) throw failure
    }
  } finally {
    sharp.cache({ memory: cacheBefore.memory.max ?? 50, files: cacheBefore.files.max ?? 20, items: cacheBefore.items.max ?? 100 })
  }
  const kept: string[] = []
  let w = 0
  for (let i = 0; i < files.length; i++) {
    if (ok[i] !== 1) continue
    if (w !== i) data.copyWithin(w * itemSize, i * itemSize, (i + 1) * itemSize)
    kept.push(relative(folder, files[i] as string))
    w++
  }
  if (w === 0) throw new ImageFolderInvalid({ folder, reason: `none of the ${files.length} image files could be decoded` })
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1))
  const dataset: UInt8Dataset = {
    kind: "images",
    shape: [w, size[0], size[1], channels],
    data: w === files.length ? data : data.slice(0, w * itemSize),
    meta: { source: "image-folder", folder, fit: decodeOptions.fit, kernel: decodeOptions.kernel, files: w, skipped: skipped.length },
  }
  return { dataset, files: kept, skipped }
}
