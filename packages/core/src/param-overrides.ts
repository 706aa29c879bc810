/**
 * Param overrides as data: a profile or a `--params` file is a deep-partial params object per stage, merged onto
 * the instance params; `--set stage.path=value` is parsed once (at the command line's edge) into an assignment.
 * Both are applied in order by the plan, which then validates the result once with the stage's schema.
 */
import type { Json } from "./canonical-json.ts"

/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json }

/** Deep-partial params per stage instance: `{ train: { steps: 3000, adam: { beta1: 0.0 } } }`. */
export type ParamsPatch = { readonly [stage: string]: JsonObject }

/** One override, applied after the ones before it. */
export type ParamOverride =
  /** A profile or a `--params` file: plain objects merge key by key into the params; other values replace. */
  | { readonly _tag: "Patch"; readonly source: string; readonly patch: ParamsPatch }
  /** `--set stage.path=value`: the value replaces whatever is at the path (a whole object too). */
  | { readonly _tag: "Assignment"; readonly source: string; readonly stage: string; readonly path: ReadonlyArray<string>; readonly value: Json }

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)

/**
 * `--set stage.path=value` as data: `value` replaces what is at the path. `key` is the dotted path, stage first.
 * Fails with a message naming `source` when the key is not `stage.param…`.
 */
export const assignment = (key: string, value: Json, source = `--set ${key}=${displayValue(value)}`): ParamOverride | string => {
  const path = key.split(".")
  if (path.length < 2 || path.some((p) => p === "")) return `${source}: expected stage.param=value`
  return { _tag: "Assignment", source, stage: path[0]!, path: path.slice(1), value }
}

/**
 * Parse `stage.key=value` (the value as JSON when it parses, else a string: `lr=1e-4` is a number, `dir=../data` a
 * string, `model={"architecture":"dcgan"}` an object). Fails with a message naming the text.
 */
export const parseAssignment = (text: string): ParamOverride | string => {
  const eq = text.indexOf("=")
  if (eq <= 0) return `--set ${text}: expected stage.param=value`
  const raw = text.slice(eq + 1)
  let value: Json
  try {
    value = JSON.parse(raw) as Json
  } catch {
    value = raw
  }
  return assignment(text.slice(0, eq), value, `--set ${text}`)
}

/**
 * A patch from a JSON object of stage params, `{ "train": { "steps": 1200 } }`. Dotted keys are shorthand for
 * nesting at any depth (`{ "train.steps": 1200 }`, `{ "train": { "adam.beta1": 0 } }`). Fails with a message naming
 * `source` and the entry that is not an object of params.
 */
export const paramsPatch = (source: string, value: unknown): ParamOverride | string => {
  if (!isObject(value)) return `${source}: must be a JSON object of stage params ({ "stage": { "param": value } } or { "stage.param": value })`
  const nested = expandDottedKeys(value)
  for (const [stage, params] of Object.entries(nested)) {
    if (!isObject(params)) return `${source}: ${stage} must be an object of that stage's params (was ${JSON.stringify(params)})`
  }
  return { _tag: "Patch", source, patch: nested as ParamsPatch }
}

/** `{ "a.b": 1, c: { "d.e": 2 } }` -> `{ a: { b: 1 }, c: { d: { e: 2 } } }`; later keys merge into earlier ones. */
const expandDottedKeys = (value: JsonObject): JsonObject => {
  let out: JsonObject = {}
  for (const [key, v] of Object.entries(value)) {
    const child = isObject(v) ? expandDottedKeys(v) : v
    const nested = key.split(".").reduceRight<Json>((inner, k) => ({ [k]: inner }), child) as JsonObject
    out = mergeParams(out, nested)
  }
  return out
}

/** `base` with `patch` merged in: plain objects merge key by key, anything else in `patch` replaces. */
export const mergeParams = (base: JsonObject, patch: JsonObject): JsonObject => {
  const out: Record<string, Json> = { ...base }
  for (const [k, v] of Object.entries(patch)) {
    const current = out[k]
    out[k] = isObject(v) && isObject(current) ? mergeParams(current, v) : v
  }
  return out
}

/** `base` with `value` at `path` (copies along the path; `base` is not mutated). */
const assign = (base: JsonObject, path: ReadonlyArray<string>, value: Json): JsonObject => {
  const [head, ...rest] = path
  if (head === undefined) return base
  const child = base[head]
  return { ...base, [head]: rest.length === 0 ? value : assign(isObject(child) ? child : {}, rest, value) }
}

/** The stage instances an override names. */
export const stagesOf = (override: ParamOverride): string[] =>
  override._tag === "Assignment" ? [override.stage] : Object.keys(override.patch)

/** The params of instance `stage` after `overrides`, in order. */
export const applyOverrides = (stage: string, params: JsonObject, overrides: ReadonlyArray<ParamOverride>): JsonObject =>
  overrides.reduce((acc, o) => {
    if (o._tag === "Assignment") return o.stage === stage ? assign(acc, o.path, o.value) : acc
    const patch = o.patch[stage]
    return patch === undefined ? acc : mergeParams(acc, patch)
  }, params)

/** How an override is shown in run records and reports: `train.lr=0.0001`, one line per value a patch sets. */
export const describeOverride = (override: ParamOverride): string[] => {
  if (override._tag === "Assignment") return [`${[override.stage, ...override.path].join(".")}=${displayValue(override.value)}`]
  const lines: string[] = []
  const walk = (value: Json, path: string) => {
    if (isObject(value) && Object.keys(value).length > 0) for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`)
    else lines.push(`${path}=${displayValue(value)}`)
  }
  for (const [stage, params] of Object.entries(override.patch)) walk(params, stage)
  return lines
}

/** A value as `--set` would take it back: a string bare unless it would read as JSON (`"3"`, `"true"`). */
const displayValue = (value: Json): string => {
  if (typeof value !== "string") return JSON.stringify(value)
  try {
    JSON.parse(value)
    return JSON.stringify(value)
  } catch {
    return value
  }
}
