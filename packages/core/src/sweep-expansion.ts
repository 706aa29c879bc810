/**
 * Expanding a sweep definition into its points: the product of the grid's combinations, the zip's rows, the random
 * samples and the seeds, in that order (the seed varies fastest, so one configuration's seeds sit together).
 * Random samples are drawn with a seeded generator (mulberry32), so a definition always expands to the same points.
 * Structural problems (an empty axis, zip lists of different lengths, an axis in two blocks) are reported here,
 * each naming its axis; whether an axis is a param of the pipeline is checked by `sweep-plan.ts`.
 */
import type { Json } from "./canonical-json.ts"
import type { RandomAxis, SweepDefinition } from "./sweep-definition.ts"

/** One point of a sweep: a value per axis, and the seed (null without a seed axis). */
export interface SweepPoint {
  readonly config: Readonly<Record<string, Json>>
  readonly seed: number | null
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
const seededUniform = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One draw from a random axis, with 6 significant digits for reals (so labels and keys stay readable). */
const draw = (axis: RandomAxis, next: () => number): Json => {
  const u = next()
  const round = (v: number) => Number(v.toPrecision(6))
  if ("choice" in axis) return axis.choice[Math.min(axis.choice.length - 1, Math.floor(u * axis.choice.length))]!
  if ("uniform" in axis) return round(axis.uniform[0] + u * (axis.uniform[1] - axis.uniform[0]))
  if ("logUniform" in axis) {
    const [lo, hi] = axis.logUniform
    return round(Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))))
  }
  const [lo, hi] = axis.integers
  return Math.min(hi, lo + Math.floor(u * (hi - lo + 1)))
}

/** What is wrong with a random axis's distribution, if anything. */
const randomAxisProblem = (axis: RandomAxis): string | undefined => {
  if ("choice" in axis) return axis.choice.length === 0 ? "has no values to choose from" : undefined
  if ("uniform" in axis) return axis.uniform[0] < axis.uniform[1] ? undefined : `uniform [${axis.uniform}] is empty (lo must be below hi)`
  if ("logUniform" in axis) {
    const [lo, hi] = axis.logUniform
    return lo > 0 && lo < hi ? undefined : `logUniform [${axis.logUniform}] needs 0 < lo < hi`
  }
  const [lo, hi] = axis.integers
  return Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi ? undefined : `integers [${axis.integers}] needs integers lo <= hi`
}

/** The axes of a definition, in order (grid, zip, random), without the seed axis. */
export const sweepAxes = (definition: SweepDefinition): string[] => [
  ...Object.keys(definition.grid ?? {}),
  ...Object.keys(definition.zip ?? {}),
  ...Object.keys(definition.random?.axes ?? {}),
]

/** Structural problems of a definition, each naming its axis; empty when it expands. */
export const sweepProblems = (definition: SweepDefinition): string[] => {
  const problems: string[] = []
  const seen = new Map<string, string>()
  const note = (axis: string, block: string) => {
    if (!/^[A-Za-z0-9][\w-]*(\.[^.\s=]+)+$/.test(axis)) problems.push(`sweep axis ${axis} (${block}): expected stage.param (e.g. train.generatorLearningRate)`)
    const before = seen.get(axis)
    if (before !== undefined) problems.push(`sweep axis ${axis} is in both ${before} and ${block} (an axis belongs to one block)`)
    seen.set(axis, block)
  }
  for (const [axis, values] of Object.entries(definition.grid ?? {})) {
    note(axis, "grid")
    if (values.length === 0) problems.push(`sweep axis ${axis} (grid) is empty: give at least one value`)
  }
  const zipLengths = Object.entries(definition.zip ?? {}).map(([axis, values]) => {
    note(axis, "zip")
    if (values.length === 0) problems.push(`sweep axis ${axis} (zip) is empty: give at least one value`)
    return [axis, values.length] as const
  })
  if (new Set(zipLengths.map(([, n]) => n)).size > 1) problems.push(`zip axes must have as many values each: ${zipLengths.map(([a, n]) => `${a} has ${n}`).join(", ")}`)
  for (const [axis, dist] of Object.entries(definition.random?.axes ?? {})) {
    note(axis, "random")
    const problem = randomAxisProblem(dist)
    if (problem !== undefined) problems.push(`sweep axis ${axis} (random): ${problem}`)
  }
  if (definition.random !== undefined && Object.keys(definition.random.axes).length === 0) problems.push("random: no axes to draw")
  if (definition.seeds !== undefined) {
    if (definition.seeds.length === 0) problems.push("the seed axis is empty: give at least one seed")
    if (new Set(definition.seeds).size !== definition.seeds.length) problems.push(`the seed axis repeats a seed (${definition.seeds.join(", ")})`)
    if (definition.seeds.some((s) => !Number.isInteger(s) || s < 0)) problems.push(`seeds must be non-negative integers (${definition.seeds.join(", ")})`)
  }
  if (sweepAxes(definition).length === 0 && definition.seeds === undefined) problems.push("the sweep has no axes: give --grid, --zip, --seeds or a --file with grid/zip/random/seeds")
  return problems
}

/** Every point of a definition without {@link sweepProblems}, configuration by configuration, seeds innermost. */
export const expandSweep = (definition: SweepDefinition): SweepPoint[] => {
  let configs: Array<Record<string, Json>> = [{}]
  for (const [axis, values] of Object.entries(definition.grid ?? {})) configs = configs.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })))
  const zip = Object.entries(definition.zip ?? {})
  if (zip.length > 0) {
    const rows = Array.from({ length: zip[0]![1].length }, (_, i) => Object.fromEntries(zip.map(([axis, values]) => [axis, values[i]!])))
    configs = configs.flatMap((c) => rows.map((r) => ({ ...c, ...r })))
  }
  if (definition.random !== undefined) {
    const next = seededUniform(definition.random.seed)
    const axes = Object.entries(definition.random.axes)
    const samples = Array.from({ length: definition.random.count }, () => Object.fromEntries(axes.map(([axis, dist]) => [axis, draw(dist, next)])))
    configs = configs.flatMap((c) => samples.map((s) => ({ ...c, ...s })))
  }
  const seeds = definition.seeds ?? [null]
  return configs.flatMap((config) => seeds.map((seed) => ({ config, seed })))
}
