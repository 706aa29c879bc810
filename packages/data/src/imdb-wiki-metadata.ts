/**
 * IMDB-WIKI's metadata (Rothe et al. 2015) as distributed: `wiki.mat` / `imdb.mat`, each holding one 1x1 struct
 * (`wiki` / `imdb`) whose fields are 1xN rows — `dob` (MATLAB serial date number of the birth date),
 * `photo_taken` (year), `full_path` (cell of char, relative to the folder of the .mat), `gender` (1 male, 0 female,
 * NaN unknown), `name`, `face_score` (-Inf when no face was found), `second_face_score` (NaN when there is no
 * second face). Ages are computed as the book does (Ahirwar, "Generative Adversarial Networks Projects", ch. 3,
 * `calculate_age`), then filtered and bucketed into Age-cGAN's six groups.
 */
import { basename } from "node:path"
import { ageGroupOf } from "./age-groups.ts"
import { MatFieldInvalid } from "./errors.ts"
import { readMat } from "./mat-file-reader.ts"
import { matCellStrings, matField, matNumbers } from "./mat-value.ts"

/** One kept face. */
export interface ImdbWikiRecord {
  /** Index in the .mat's rows (0-based). */
  readonly index: number
  /** Image path relative to the folder of the .mat, e.g. `17/10000217_1981-05-05_2009.jpg`. */
  readonly fullPath: string
  /** Age in whole years by the book's formula. */
  readonly age: number
  /** Age group label 0..5 (see age-groups.ts). */
  readonly group: number
  /** 1 male, 0 female, NaN unknown. */
  readonly gender: number
  readonly name: string
  readonly faceScore: number
}

/** Filters of {@link readImdbWikiMetadata}. */
export interface ImdbWikiFilters {
  /**
   * Smallest face score kept (default 1.0, the cleaning most IMDB-WIKI age papers and yu4u/age-gender-estimation
   * use). A face score of -Inf (no face found) or NaN is always dropped.
   */
  readonly minFaceScore?: number
  /** Largest age kept (default 100; larger ages come from broken birth dates). */
  readonly maxAge?: number
}

/** Why rows were dropped, counted. */
export interface ImdbWikiDropped {
  /** `face_score` is -Inf/NaN: no face was detected. */
  readonly noFace: number
  /** `face_score` below `minFaceScore`. */
  readonly lowFaceScore: number
  /** `second_face_score` is not NaN: a second face is in the picture. */
  readonly secondFace: number
  /** Birth date missing or the age is negative or above `maxAge`. */
  readonly badAge: number
}

/** Everything read from one metadata file. */
export interface ImdbWikiMetadata {
  readonly file: string
  /** The struct's name: `wiki` or `imdb`. */
  readonly dataset: string
  /** Rows in the file. */
  readonly total: number
  readonly records: ReadonlyArray<ImdbWikiRecord>
  readonly dropped: ImdbWikiDropped
}

const DAY_MS = 86_400_000
/** Python's `date(1970, 1, 1).toordinal()`: proleptic Gregorian ordinal of the Unix epoch (day 1 = 0001-01-01). */
const UNIX_EPOCH_ORDINAL = 719_163

/**
 * The birth year and month of a MATLAB serial date number, as the book computes them:
 * `datetime.fromordinal(max(int(dob) - 366, 1))` — MATLAB counts days from 0000-01-01 (day 1), Python's ordinal from
 * 0001-01-01, both in the proleptic Gregorian calendar, 366 days apart (year 0 is a leap year); the fraction (time of
 * day) is dropped. Returns undefined for NaN/Inf or a date past 9999-12-31 (where Python raises).
 */
export const birthFromMatlabDate = (dob: number): { readonly year: number; readonly month: number } | undefined => {
  if (!Number.isFinite(dob)) return undefined
  const ordinal = Math.max(Math.trunc(dob) - 366, 1)
  if (ordinal > 3_652_059) return undefined
  const date = new Date((ordinal - UNIX_EPOCH_ORDINAL) * DAY_MS)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 }
}

/**
 * The book's `calculate_age(taken, dob)`: the photo is assumed taken in the middle of the year, so
 * `taken - birth.year`, minus one more when born in July or later. Undefined when the birth date is unusable.
 */
export const ageByTheBook = (photoTaken: number, dob: number): number | undefined => {
  const birth = birthFromMatlabDate(dob)
  if (birth === undefined || !Number.isFinite(photoTaken)) return undefined
  return Math.trunc(photoTaken) - birth.year - (birth.month < 7 ? 0 : 1)
}

/**
 * Reads `wiki.mat` or `imdb.mat` (the struct named `wiki` or `imdb`, or the only struct in the file), computes every
 * row's age with {@link ageByTheBook}, keeps faces with a finite face score ≥ `minFaceScore`, no second face and an
 * age in [0, maxAge], and gives each its age group. Fails with MatFileInvalid (unreadable/truncated file) or
 * MatFieldInvalid naming the file and field (missing field, wrong type, rows of different lengths).
 */
export const readImdbWikiMetadata = (file: string, filters: ImdbWikiFilters = {}): ImdbWikiMetadata => {
  const mat = readMat(file)
  const structs = [...mat.values].filter(([, v]) => v.kind === "struct")
  const named = structs.find(([n]) => n === "wiki" || n === "imdb") ?? (structs.length === 1 ? structs[0] : undefined)
  if (named === undefined) {
    const have = [...mat.values.keys()].join(", ") || "none"
    throw new MatFieldInvalid({ file, field: basename(file, ".mat"), reason: `no 'wiki' or 'imdb' struct (variables: ${have})` })
  }
  const [dataset, meta] = named
  const numbers = (field: string) => matNumbers(file, `${dataset}.${field}`, matField(file, dataset, meta, field))
  const strings = (field: string) => matCellStrings(file, `${dataset}.${field}`, matField(file, dataset, meta, field))
  const dob = numbers("dob")
  const taken = numbers("photo_taken")
  const paths = strings("full_path")
  const gender = numbers("gender")
  const faceScore = numbers("face_score")
  const secondFace = numbers("second_face_score")
  const names = meta.kind === "struct" && meta.fields.includes("name") ? strings("name") : undefined
  const total = dob.length
  for (const [field, length] of [["photo_taken", taken.length], ["full_path", paths.length], ["gender", gender.length], ["face_score", faceScore.length], ["second_face_score", secondFace.length], ["name", names?.length ?? total]] as const) {
    if (length !== total) throw new MatFieldInvalid({ file, field: `${dataset}.${field}`, reason: `has ${length} entries, ${dataset}.dob has ${total}` })
  }
  const minFaceScore = filters.minFaceScore ?? 1
  const maxAge = filters.maxAge ?? 100
  const dropped = { noFace: 0, lowFaceScore: 0, secondFace: 0, badAge: 0 }
  const records: ImdbWikiRecord[] = []
  for (let i = 0; i < total; i++) {
    const score = faceScore[i] as number
    if (!Number.isFinite(score)) { dropped.noFace++; continue }
    if (score < minFaceScore) { dropped.lowFaceScore++; continue }
    if (!Number.isNaN(secondFace[i] as number)) { dropped.secondFace++; continue }
    const age = ageByTheBook(taken[i] as number, dob[i] as number)
    const group = age === undefined || age > maxAge ? undefined : ageGroupOf(age)
    if (age === undefined || group === undefined) { dropped.badAge++; continue }
    records.push({ index: i, fullPath: paths[i] as string, age, group, gender: gender[i] as number, name: names?.[i] ?? "", faceScore: score })
  }
  return { file, dataset, total, records, dropped }
}
