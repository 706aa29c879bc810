/**
 * A sweep checked against its pipeline before anything runs: every axis is a param of a stage, every value passes
 * that stage's schema (each tried alone, so an error names the axis and the value), the seed axis has params to go
 * to, and every variant (a point's values together, with the command line's own overrides) plans. Variants are
 * runs of the same pipeline with structured overrides: `--set` assignments, one per axis and seed param.
 */
import { Either } from "effect"
import { canonicalJson, type Json } from "./canonical-json.ts"
import { sha256 } from "./digest.ts"
import { assignment, describeOverride, type ParamOverride } from "./param-overrides.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { planPipeline, type Plan, type PlanOptions } from "./plan.ts"
import { SweepInvalid, type SweepDefinition } from "./sweep-definition.ts"
import { expandSweep, sweepAxes, sweepProblems } from "./sweep-expansion.ts"

/** One variant: a point of the sweep as a planned run. */
export interface SweepVariant {
  /** `v01`, `v02`, … in expansion order. */
  readonly id: string
  /** The value of each axis. */
  readonly config: Readonly<Record<string, Json>>
  /** The seed, or null without a seed axis. */
  readonly seed: number | null
  /** Canonical JSON of `config`: variants with the same configuration differ only by seed. */
  readonly configKey: string
  /** The overrides of this variant (after the command line's own), as run records show them. */
  readonly overrides: ReadonlyArray<string>
  readonly plan: Plan
}

/** A sweep ready to run. */
export interface SweepPlan {
  /** `<name>-<10 hex digits of the definition's digest>`: the same definition and base params give the same id. */
  readonly id: string
  readonly name: string
  readonly pipeline: string
  readonly definition: SweepDefinition
  readonly axes: ReadonlyArray<string>
  /** Where the seed axis goes (`train.seed`, …); empty without seeds. */
  readonly seedParams: ReadonlyArray<string>
  /** The command line's own overrides, applied to every variant before the axes. */
  readonly baseOverrides: ReadonlyArray<string>
  readonly profile: string | undefined
  readonly variants: ReadonlyArray<SweepVariant>
}

const shown = (v: Json): string => (typeof v === "string" ? JSON.stringify(v) : canonicalJson(v))

const paramAt = (params: Json, path: ReadonlyArray<string>): Json | undefined =>
  path.reduce<Json | undefined>((v, k) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, Json>)[k] : undefined), params)

/** The seed params a definition maps the seed axis to, checked against the base plan. */
const seedTargets = (definition: SweepDefinition, base: Plan): string[] | string => {
  const hasSeed = (s: Plan["stages"][number]) => typeof paramAt(s.params, ["seed"]) === "number"
  const choice = definition.seedParams ?? "training"
  if (choice === "all") return base.stages.filter(hasSeed).map((s) => `${s.name}.seed`)
  if (choice === "training") {
    const targets = base.stages.filter((s) => hasSeed(s) && s.definition.resumeOmits.length > 0).map((s) => `${s.name}.seed`)
    return targets.length > 0 ? targets : "the seed axis has no training stage to go to (no stage that checkpoints has a seed param): name the params with --seed-param stage.seed"
  }
  for (const target of choice) {
    const [stage, ...path] = target.split(".")
    const planned = base.stages.find((s) => s.name === stage)
    if (planned === undefined) return `seed param ${target}: no stage named ${stage} (stages: ${base.stages.map((s) => s.name).join(", ")})`
    if (path.length === 0) return `seed param ${target}: expected stage.param`
    if (typeof paramAt(planned.params, path) !== "number") return `seed param ${target}: ${stage} has no numeric param ${path.join(".")}`
  }
  return [...choice]
}

/**
 * Check `definition` against `pipeline` with the command line's `options` (profile, overrides, only) and plan
 * every variant; fails with {@link SweepInvalid} listing every problem, each naming its axis and value.
 */
export const planSweep = (pipeline: PipelineDefinition, definition: SweepDefinition, options: PlanOptions): Either.Either<SweepPlan, SweepInvalid> => {
  const name = definition.name ?? pipeline.name
  const invalid = (problems: ReadonlyArray<string>) => Either.left(new SweepInvalid({ sweep: name, problems }))
  const structural = sweepProblems(definition)
  if (structural.length > 0) return invalid(structural)
  const base = planPipeline(pipeline, options)
  if (Either.isLeft(base)) return invalid(base.left.problems.map((p) => `without the sweep's axes: ${p}`))
  const axes = sweepAxes(definition)
  const targets = definition.seeds === undefined ? [] : seedTargets(definition, base.right)
  if (typeof targets === "string") return invalid([targets])
  const problems: string[] = []
  for (const axis of axes) if (targets.includes(axis)) problems.push(`sweep axis ${axis} is also where the seed axis goes: sweep it with --seeds, or choose other --seed-param`)

  const overrideOf = (axis: string, value: Json, what: string): ParamOverride | undefined => {
    const o = assignment(axis, value, what)
    if (typeof o === "string") {
      problems.push(o)
      return undefined
    }
    return o
  }
  const planWith = (extra: ReadonlyArray<ParamOverride>) => planPipeline(pipeline, { ...options, overrides: [...(options.overrides ?? []), ...extra] })
  // each value alone: an unknown param or a value its schema rejects is named by axis and value
  const values = new Map<string, Json[]>()
  for (const [axis, list] of [...Object.entries(definition.grid ?? {}), ...Object.entries(definition.zip ?? {})]) values.set(axis, [...list])
  for (const [axis, list] of values) {
    const byValue = list.map((value) => {
      const what = `sweep axis ${axis}, value ${shown(value)}`
      const o = overrideOf(axis, value, what)
      const planned = o === undefined ? undefined : planWith([o])
      return { what, found: planned === undefined || Either.isRight(planned) ? [] : planned.left.problems.map((p) => p.replace(`${what}: `, "")) }
    })
    // a problem every value has (an unknown stage or param) is the axis's, said once
    const everyValue = list.length > 1 ? byValue[0]!.found.filter((p) => byValue.every((b) => b.found.includes(p))) : []
    problems.push(...everyValue.map((p) => `sweep axis ${axis} (every value): ${p}`))
    for (const { what, found } of byValue) problems.push(...found.filter((p) => !everyValue.includes(p)).map((p) => `${what}: ${p}`))
  }
  if (problems.length > 0) return invalid(problems)

  const points = expandSweep(definition)
  const width = String(points.length).length
  const variants: SweepVariant[] = []
  for (const [i, point] of points.entries()) {
    const extra: ParamOverride[] = []
    for (const [axis, value] of Object.entries(point.config)) {
      const o = overrideOf(axis, value, `sweep axis ${axis}, value ${shown(value)}`)
      if (o !== undefined) extra.push(o)
    }
    if (point.seed !== null) for (const target of targets) extra.push(overrideOf(target, point.seed, `sweep seed ${point.seed} (${target})`)!)
    const what = Object.entries(point.config).map(([a, v]) => `${a}=${shown(v)}`).concat(point.seed === null ? [] : [`seed=${point.seed}`]).join(" ")
    const planned = planWith(extra)
    if (Either.isLeft(planned)) {
      problems.push(...planned.left.problems.map((p) => `variant ${what}: ${p}`))
      continue
    }
    variants.push({
      id: `v${String(i + 1).padStart(Math.max(2, width), "0")}`,
      config: point.config,
      seed: point.seed,
      configKey: canonicalJson(point.config),
      overrides: extra.flatMap(describeOverride),
      plan: { ...planned.right, overrides: [...planned.right.overrides] },
    })
  }
  if (problems.length > 0) return invalid(problems)
  const baseOverrides = (options.overrides ?? []).flatMap(describeOverride)
  const digest = sha256(canonicalJson({ pipeline: pipeline.name, definition: definition as unknown as Json, seedParams: targets, base: baseOverrides, profile: options.profile ?? null, only: [...(options.only ?? [])] }))
  return Either.right({
    id: `${name.replace(/[^\w.-]+/g, "_")}-${digest.slice(0, 10)}`,
    name,
    pipeline: pipeline.name,
    definition,
    axes,
    seedParams: targets,
    baseOverrides,
    profile: options.profile,
    variants,
  })
}
