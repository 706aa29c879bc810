/**
 * Built-in paired translation set: pencil sketches of the synthetic anime faces (A) → the faces (B), the
 * edges→photo task of pix2pix's edges2shoes on faces that need no download. The sketch is derived from the
 * rendered face ({@link pencilSketch}), so A and B are exactly aligned. Deterministic by seed; the test faces are
 * the items after the train faces (same seed), so no face is in both.
 */
import { DataParamsInvalid } from "./errors.ts"
import { generateAnimeFaces } from "./synthetic-anime-faces.ts"
import { pencilSketch } from "./translation-face-looks.ts"
import type { TranslationData } from "./translation-pairs.ts"
import { selectDatasetItems, type UInt8Dataset } from "./uint8-dataset.ts"

/** Options of {@link generateFaceSketchPairs}. */
export interface FaceSketchPairsOptions {
  readonly trainCount: number
  readonly testCount: number
  readonly seed: number
  /** Square size the faces are drawn at. */
  readonly size: number
}

/** Sketch → face pairs; fails with DataParamsInvalid on bad counts or size. */
export const generateFaceSketchPairs = (options: FaceSketchPairsOptions): TranslationData => {
  const { trainCount, testCount, size } = options
  if (!Number.isInteger(testCount) || testCount < 1) throw new DataParamsInvalid({ field: "testCount", reason: `must be a positive integer, got ${testCount}` })
  const faces = generateAnimeFaces({ count: trainCount + testCount, seed: options.seed, size })
  const item = size * size * 3
  const sketches = new Uint8Array(faces.data.length)
  for (let i = 0; i < trainCount + testCount; i++) sketches.set(pencilSketch(faces.data.subarray(i * item, (i + 1) * item), size), i * item)
  const meta = { source: "synthetic-face-sketches", seed: options.seed, size }
  const a: UInt8Dataset = { kind: "images", shape: [...faces.shape], data: sketches, meta: { ...meta, domain: "sketch" } }
  const b: UInt8Dataset = { ...faces, meta: { ...meta, domain: "face" } }
  const split = (ds: UInt8Dataset, from: number, count: number) => selectDatasetItems(ds, Array.from({ length: count }, (_, i) => from + i))
  return {
    train: { a: split(a, 0, trainCount), b: split(b, 0, trainCount) },
    test: { a: split(a, trainCount, testCount), b: split(b, trainCount, testCount) },
    paired: true,
  }
}
