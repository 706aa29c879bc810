/**
 * What a sweep is, as data: axes of stage params (`stage.path`) whose values combine into variants — a `grid`
 * (every combination), a `zip` (values taken together, row by row), `random` samples (drawn with a seed) — and
 * `seeds`, a first-class axis mapped onto the seed params of the pipeline's stages. Written on the command line
 * (`--grid train.loss=bce,hinge --seeds 0..2`) or in a JSON file (`--file sweeps/lr.json`, {@link SweepFile}); both
 * give one {@link SweepDefinition}. Checking the axes against a pipeline is `sweep-plan.ts`'s job.
 */
import { type } from "arktype"
import { existsSync, readFileSync } from "node:fs"
import { Data } from "effect"
import type { Json } from "./canonical-json.ts"

/** A distribution a `random` axis draws from. */
export type RandomAxis =
  /** One of the values, each equally likely. */
  | { readonly choice: ReadonlyArray<Json> }
  /** A real number uniform in [lo, hi). */
  | { readonly uniform: readonly [number, number] }
  /** A positive real whose logarithm is uniform: learning rates (`[1e-5, 1e-3]`). */
  | { readonly logUniform: readonly [number, number] }
  /** An integer uniform in [lo, hi], both ends included. */
  | { readonly integers: readonly [number, number] }

/** A sweep's axes and how they combine; every block is optional, the variants are the product of the blocks. */
export interface SweepDefinition {
  /** A name shown in `ganflow sweeps` (default: the pipeline's). */
  readonly name?: string
  /** Every combination of these axes' values. */
  readonly grid?: Readonly<Record<string, ReadonlyArray<Json>>>
  /** These axes' values taken together: the i-th variant has the i-th value of each (the lists are equally long). */
  readonly zip?: Readonly<Record<string, ReadonlyArray<Json>>>
  /** `count` points drawn from the axes' distributions with `seed` (the same seed draws the same points). */
  readonly random?: { readonly count: number; readonly seed: number; readonly axes: Readonly<Record<string, RandomAxis>> }
  /** The seed axis: each configuration runs once per seed. */
  readonly seeds?: ReadonlyArray<number>
  /**
   * The params the seed goes to, `stage.param` each: default `"training"` (the `seed` of every stage that resumes from
   * checkpoints, i.e. declares `resumeOmits`:
   * data and reference statistics stay shared by all seeds), `"all"` (every stage's `seed`), or a list.
   */
  readonly seedParams?: "training" | "all" | ReadonlyArray<string>
}

/** A sweep definition that is wrong in itself (an empty axis, unequal zip lists) or for its pipeline. */
export class SweepInvalid extends Data.TaggedError("SweepInvalid")<{
  readonly sweep: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `sweep ${this.sweep} is invalid (nothing was run):\n  ${this.problems.join("\n  ")}`
  }
}

const axisValues = type("unknown[]")
const numberPair = type(["number", "number"])

/** The JSON file form of a sweep (`--file sweeps/lr.json`): {@link SweepDefinition}, with `seeds` also as `"0..4"`. */
export const SweepFile = type({
  "+": "reject",
  "name?": "string",
  "grid?": type({ "[string]": axisValues }),
  "zip?": type({ "[string]": axisValues }),
  "random?": type({
    "+": "reject",
    count: "number.integer >= 1",
    seed: "number.integer >= 0 = 0",
    axes: type({
      "[string]": type({ "+": "reject", choice: "unknown[]" })
        .or({ "+": "reject", uniform: numberPair })
        .or({ "+": "reject", logUniform: numberPair })
        .or({ "+": "reject", integers: numberPair }),
    }),
  }),
  "seeds?": "number.integer[] | string",
  "seedParams?": "'training' | 'all' | string[]",
})

/** `0..2` -> [0, 1, 2]; `0,3,7` -> [0, 3, 7]; fails with a message naming the text. */
export const parseSeeds = (text: string, source = "--seeds"): number[] | string => {
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text)
  if (range !== null) {
    const [lo, hi] = [Number(range[1]), Number(range[2])]
    if (hi < lo) return `${source} ${text}: the range is empty (${hi} < ${lo})`
    if (hi - lo >= 10_000) return `${source} ${text}: more than 10,000 seeds`
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
  }
  const parts = text.split(",").map((p) => p.trim())
  if (parts.some((p) => !/^\d+$/.test(p))) return `${source} ${text}: expected a range (0..4) or comma-separated non-negative integers (0,3,7)`
  return parts.map(Number)
}

/**
 * The values of a command-line axis, `1e-4,2e-4` or `bce,hinge`: split at commas outside brackets and quotes,
 * each value JSON when it parses (`1e-4` is a number, `[1,2]` an array), else a string. An empty text has no values.
 */
export const parseAxisValues = (text: string): Json[] => {
  if (text.trim() === "") return []
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let current = ""
  for (const ch of text) {
    if (ch === '"' && !current.endsWith("\\")) quoted = !quoted
    if (!quoted && (ch === "[" || ch === "{")) depth++
    if (!quoted && (ch === "]" || ch === "}")) depth--
    if (ch === "," && depth === 0 && !quoted) {
      parts.push(current)
      current = ""
    } else current += ch
  }
  parts.push(current)
  return parts.map((p) => {
    try {
      return JSON.parse(p) as Json
    } catch {
      return p
    }
  })
}

/** `axis=v1,v2` as the command line gives it; fails with a message naming the option and text. */
const parseAxisOption = (option: string, text: string): [string, Json[]] | string => {
  const eq = text.indexOf("=")
  if (eq <= 0) return `${option} ${text}: expected stage.param=value1,value2,…`
  return [text.slice(0, eq), parseAxisValues(text.slice(eq + 1))]
}

/** The command line's sweep options: `--grid`, `--zip` (each `axis=v1,v2`), `--seeds`, `--seed-param`. */
export interface SweepOptionsText {
  readonly grid: ReadonlyArray<string>
  readonly zip: ReadonlyArray<string>
  readonly seeds: string | undefined
  readonly seedParams: ReadonlyArray<string>
}

/** The definition the command-line options describe; fails with every problem, naming the option. */
export const sweepFromOptions = (options: SweepOptionsText): SweepDefinition | SweepInvalid => {
  const problems: string[] = []
  const block = (option: string, texts: ReadonlyArray<string>): Record<string, Json[]> | undefined => {
    if (texts.length === 0) return undefined
    const out: Record<string, Json[]> = {}
    for (const text of texts) {
      const parsed = parseAxisOption(option, text)
      if (typeof parsed === "string") problems.push(parsed)
      else if (parsed[0] in out) problems.push(`${option} ${parsed[0]}: the axis is given twice`)
      else out[parsed[0]] = parsed[1]
    }
    return out
  }
  const grid = block("--grid", options.grid)
  const zip = block("--zip", options.zip)
  const seeds = options.seeds === undefined ? undefined : parseSeeds(options.seeds)
  if (typeof seeds === "string") problems.push(seeds)
  const seedParams = options.seedParams.flatMap((p) => p.split(",")).filter((p) => p !== "")
  if (problems.length > 0) return new SweepInvalid({ sweep: "(command line)", problems })
  return {
    ...(grid === undefined ? {} : { grid }),
    ...(zip === undefined ? {} : { zip }),
    ...(seeds === undefined || typeof seeds === "string" ? {} : { seeds }),
    ...(seedParams.length === 0 ? {} : { seedParams: seedParams.length === 1 && (seedParams[0] === "all" || seedParams[0] === "training") ? (seedParams[0] as "all" | "training") : seedParams }),
  }
}

/** The definition in a sweep file; fails naming the file and what is wrong with it. */
export const readSweepFile = (path: string, display = path): SweepDefinition | SweepInvalid => {
  const fail = (problem: string) => new SweepInvalid({ sweep: display, problems: [problem] })
  if (!existsSync(path)) return fail(`${display}: no such file`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"))
  } catch (e) {
    return fail(`${display}: not valid JSON (${(e as Error).message})`)
  }
  const out = SweepFile(parsed)
  if (out instanceof type.errors) return new SweepInvalid({ sweep: display, problems: [...out].map((e) => `${display}: ${e.message}`) })
  const { seeds, ...rest } = out
  if (typeof seeds === "string") {
    const list = parseSeeds(seeds, `${display}: seeds`)
    if (typeof list === "string") return fail(list)
    return { ...(rest as SweepDefinition), seeds: list }
  }
  return { ...(rest as SweepDefinition), ...(seeds === undefined ? {} : { seeds }) }
}
