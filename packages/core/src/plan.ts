/**
 * Planning: turn a pipeline definition plus command-line overrides into validated stage instances in
 * topological order. Every problem is collected and reported at once (duplicate names, unknown or missing
 * upstreams, cycles, bad params, missing input files), before anything runs or touches the store.
 */
import { Either } from "effect"
import { existsSync, statSync } from "node:fs"
import { isAbsolute, relative, resolve } from "node:path"
import { canonicalJson, type Json } from "./canonical-json.ts"
import { PipelineInvalid } from "./errors.ts"
import { closestKey } from "./key-suggestion.ts"
import { applyOverrides, describeOverride, type JsonObject, type ParamOverride, paramsPatch, stagesOf } from "./param-overrides.ts"
import { validateParams } from "./params.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { isStageHandle, type InputBinding, type InputSlot, type StageDefinition } from "./stage.ts"

/** Where a slot's data comes from, resolved. Paths are absolute; `display` is relative to the workspace. */
export type ResolvedBinding =
  | { readonly kind: "upstream"; readonly stage: string }
  | { readonly kind: "file" | "folder"; readonly path: string; readonly display: string }
  | { readonly kind: "none" }

/** A stage instance ready to run. */
export interface PlannedStage {
  readonly name: string
  readonly definition: StageDefinition
  readonly params: Json
  readonly bindings: Readonly<Record<string, ResolvedBinding>>
  readonly upstreams: ReadonlyArray<string>
  readonly gpu: number
  /** Further attempts after a failure that is not the stage's (see `StageOptions.retries`). */
  readonly retries: number
}

/** A validated pipeline. */
export interface Plan {
  readonly pipeline: string
  readonly root: string
  readonly stages: ReadonlyArray<PlannedStage>
  /** The command line's overrides as run records show them (`train.lr=0.0001`), in the order applied. */
  readonly overrides: ReadonlyArray<string>
  readonly profile: string | undefined
  /** The stages holding the pipeline's declared results (`samples` of `samples/grid.png`) that are in the plan. */
  readonly results: ReadonlyArray<string>
}

/** Options that change params. */
export interface PlanOptions {
  /** Workspace root; relative input paths resolve against it. */
  readonly root: string
  /** Overrides from the command line (`--params` file, `--set`), applied in order after the profile. */
  readonly overrides?: ReadonlyArray<ParamOverride>
  /** A profile of the pipeline, applied first. */
  readonly profile?: string
  /** Only these stages and what they need (plus nothing downstream). */
  readonly only?: ReadonlyArray<string>
}

/** Validate `definition` with `options`; fails with every problem found. */
export const planPipeline = (definition: PipelineDefinition, options: PlanOptions): Either.Either<Plan, PipelineInvalid> => {
  const problems: string[] = []
  const byName = new Map(definition.stages.map((s) => [s.name, s]))
  const seen = new Set<string>()
  for (const s of definition.stages) {
    if (!/^[A-Za-z0-9][\w-]*$/.test(s.name)) problems.push(`stage name "${s.name}" must be letters, digits, - and _`)
    if (seen.has(s.name)) problems.push(`duplicate stage name: ${s.name}`)
    seen.add(s.name)
  }

  const overrides: ParamOverride[] = []
  if (options.profile !== undefined) {
    const profile = definition.profiles[options.profile]
    if (profile === undefined) {
      const known = Object.keys(definition.profiles)
      problems.push(`unknown profile ${options.profile} (known: ${known.length > 0 ? known.join(", ") : "none"})`)
    } else {
      const patch = paramsPatch(`profile ${options.profile}`, profile)
      if (typeof patch === "string") problems.push(patch)
      else overrides.push(patch)
    }
  }
  overrides.push(...(options.overrides ?? []))
  for (const o of overrides) {
    for (const stage of stagesOf(o)) {
      if (byName.has(stage)) continue
      const suggestion = closestKey(stage, byName.keys())
      problems.push(`${o.source}: no stage named ${stage}${suggestion !== undefined ? ` (did you mean ${suggestion}?)` : ""} (stages: ${[...byName.keys()].join(", ")})`)
    }
  }

  const planned: PlannedStage[] = []
  for (const instance of definition.stages) {
    const def = instance.definition
    const raw = applyOverrides(instance.name, (instance.config.params ?? {}) as JsonObject, overrides)
    const validated = validateParams(instance.name, def.params, raw)
    if (!validated.ok) {
      problems.push(...validated.problems)
      continue
    }
    const params = validated.params as Json
    try {
      canonicalJson(params)
    } catch (e) {
      // a non-finite number (1e999, NaN) has no canonical form, so it could never be part of a cache key
      problems.push(`${instance.name}.params${(e as Error).message.replace(/^\$/, "").replace(/: (-?Infinity|NaN) cannot be stored as JSON$/, ": must be a finite number (was $1)")}`)
      continue
    }
    const bindings: Record<string, ResolvedBinding> = {}
    const upstreams: string[] = []
    const configured = (instance.config.inputs ?? {}) as Record<string, InputBinding | ((p: unknown) => InputBinding) | undefined>
    for (const slotName of Object.keys(configured)) {
      if (!(slotName in def.inputs)) problems.push(`stage ${instance.name}: ${def.name} has no input named ${slotName}`)
    }
    for (const [slotName, slot] of Object.entries(def.inputs as Record<string, InputSlot>)) {
      const given = configured[slotName]
      const binding = typeof given === "function" ? given(params) : given
      const where = `stage ${instance.name}: input ${slotName}`
      if (binding === undefined || binding === null) {
        if (!slot.optional) problems.push(`${where} is not bound (expected ${slot.kind === "upstream" ? "an upstream stage handle" : `a ${slot.kind}`})`)
        bindings[slotName] = { kind: "none" }
      } else if (isStageHandle(binding)) {
        if (slot.kind !== "upstream") problems.push(`${where} expects a ${slot.kind}, got stage ${binding.name}`)
        else if (!byName.has(binding.name)) problems.push(`${where} reads from stage "${binding.name}", which is not among the pipeline's stages`)
        else if (byName.get(binding.name) !== binding) problems.push(`${where} reads from another handle than the pipeline's stage "${binding.name}" (pass the handle that is in \`stages\`)`)
        else {
          bindings[slotName] = { kind: "upstream", stage: binding.name }
          upstreams.push(binding.name)
        }
      } else if (typeof binding !== "object" || (binding.kind !== "file" && binding.kind !== "folder")) {
        problems.push(`${where}: bind it to a stage handle (\`stage.as(...)\`), file(...) or folder(...), not ${JSON.stringify(binding)}`)
      } else {
        if (slot.kind !== binding.kind) problems.push(`${where} expects ${slot.kind === "upstream" ? "an upstream stage" : `a ${slot.kind}`}, got a ${binding.kind}`)
        const path = isAbsolute(binding.path) ? binding.path : resolve(options.root, binding.path)
        const display = relative(options.root, path) || "."
        if (!existsSync(path)) problems.push(`${where}: ${binding.kind} ${display} does not exist`)
        else if (binding.kind === "folder" && !statSync(path).isDirectory()) problems.push(`${where}: ${display} is not a folder`)
        else if (binding.kind === "file" && !statSync(path).isFile()) problems.push(`${where}: ${display} is not a file`)
        bindings[slotName] = { kind: binding.kind, path, display }
      }
    }
    const gpu = instance.config.resources?.gpu ?? def.resources.gpu ?? 0
    const retries = instance.config.retries ?? def.retries ?? 0
    if (!Number.isInteger(retries) || retries < 0) problems.push(`stage ${instance.name}: retries must be a non-negative integer (was ${retries})`)
    planned.push({ name: instance.name, definition: def, params, bindings, upstreams: [...new Set(upstreams)], gpu, retries })
  }

  const cycle = findCycle(planned)
  if (cycle !== undefined) problems.push(`cycle: ${cycle.join(" -> ")}`)
  if (problems.length > 0) return Either.left(new PipelineInvalid({ pipeline: definition.name, problems }))

  let ordered = topoSort(planned)
  if (options.only !== undefined && options.only.length > 0) {
    const unknown = options.only.filter((n) => !byName.has(n))
    if (unknown.length > 0) return Either.left(new PipelineInvalid({ pipeline: definition.name, problems: [`--only: no stage named ${unknown.join(", ")}`] }))
    const needed = new Set<string>()
    const byPlanned = new Map(ordered.map((s) => [s.name, s]))
    const visit = (n: string) => {
      if (needed.has(n)) return
      needed.add(n)
      for (const u of byPlanned.get(n)?.upstreams ?? []) visit(u)
    }
    options.only.forEach(visit)
    ordered = ordered.filter((s) => needed.has(s.name))
  }
  return Either.right({
    pipeline: definition.name,
    root: options.root,
    stages: ordered,
    overrides: (options.overrides ?? []).flatMap(describeOverride),
    profile: options.profile,
    results: [...new Set(definition.results.map((r) => r.split("/")[0]!))].filter((stage) => ordered.some((s) => s.name === stage)),
  })
}

const findCycle = (stages: ReadonlyArray<PlannedStage>): string[] | undefined => {
  const byName = new Map(stages.map((s) => [s.name, s]))
  const state = new Map<string, "visiting" | "done">()
  const path: string[] = []
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined
    if (state.get(name) === "visiting") return [...path.slice(path.indexOf(name)), name]
    state.set(name, "visiting")
    path.push(name)
    for (const u of byName.get(name)?.upstreams ?? []) {
      const c = visit(u)
      if (c !== undefined) return c
    }
    path.pop()
    state.set(name, "done")
    return undefined
  }
  for (const s of stages) {
    const c = visit(s.name)
    if (c !== undefined) return c.reverse()
  }
  return undefined
}

const topoSort = (stages: ReadonlyArray<PlannedStage>): PlannedStage[] => {
  const byName = new Map(stages.map((s) => [s.name, s]))
  const out: PlannedStage[] = []
  const done = new Set<string>()
  const visit = (s: PlannedStage) => {
    if (done.has(s.name)) return
    done.add(s.name)
    for (const u of s.upstreams) visit(byName.get(u)!)
    out.push(s)
  }
  stages.forEach(visit)
  return out
}
