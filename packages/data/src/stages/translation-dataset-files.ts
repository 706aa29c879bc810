/**
 * The files a translation data stage (`paired-source`, `unpaired-source`) writes — train and test images of
 * domains A and B as {@link UInt8Dataset}s — and how a downstream stage reads them back.
 */
import { join } from "node:path"
import type { UpstreamOutput } from "@ganflow/core"
import type { TranslationData } from "../translation-pairs.ts"
import { readUInt8Dataset, writeUInt8Dataset } from "../uint8-dataset.ts"

/** Output files of a translation data stage, by split and domain. */
export const TRANSLATION_FILES = { trainA: "train-a.gfds", trainB: "train-b.gfds", testA: "test-a.gfds", testB: "test-b.gfds" } as const

/** Summary a translation data stage returns (its JSON value in the pipeline). */
export interface TranslationStageValue {
  readonly [key: string]: unknown
  readonly paired: boolean
  /** Square size of the stored images (the jitter's load size). */
  readonly loadSize: number
  /** Square size the networks see (random crop in training, centre crop in evaluation). */
  readonly cropSize: number
  readonly train: { readonly a: number; readonly b: number }
  readonly test: { readonly a: number; readonly b: number }
}

/** Writes the four datasets (atomically each) into `outDir`; DatasetFileInvalid on failure. */
export const writeTranslationOutputs = (outDir: string, data: TranslationData, sizes: { loadSize: number; cropSize: number }, extra: Record<string, unknown> = {}): TranslationStageValue => {
  writeUInt8Dataset(join(outDir, TRANSLATION_FILES.trainA), data.train.a)
  writeUInt8Dataset(join(outDir, TRANSLATION_FILES.trainB), data.train.b)
  writeUInt8Dataset(join(outDir, TRANSLATION_FILES.testA), data.test.a)
  writeUInt8Dataset(join(outDir, TRANSLATION_FILES.testB), data.test.b)
  const n = (ds: { shape: ReadonlyArray<number> }) => ds.shape[0] ?? 0
  return {
    paired: data.paired, ...sizes,
    train: { a: n(data.train.a), b: n(data.train.b) }, test: { a: n(data.test.a), b: n(data.test.b) }, ...extra,
  }
}

/** Reads the four datasets an upstream translation data stage wrote; DatasetFileInvalid on a bad file. */
export const readUpstreamTranslation = (up: UpstreamOutput<unknown>): TranslationData & { readonly value: TranslationStageValue } => {
  const value = up.value as TranslationStageValue
  return {
    train: { a: readUInt8Dataset(up.path(TRANSLATION_FILES.trainA)), b: readUInt8Dataset(up.path(TRANSLATION_FILES.trainB)) },
    test: { a: readUInt8Dataset(up.path(TRANSLATION_FILES.testA)), b: readUInt8Dataset(up.path(TRANSLATION_FILES.testB)) },
    paired: value.paired,
    value,
  }
}
