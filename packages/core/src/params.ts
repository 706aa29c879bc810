/**
 * Stage params: validation against the stage's arktype schema (defaults filled, unknown keys rejected), error
 * lines that name the full path (`train.params.lr: must be a number (was "fast")`), `--set stage.key=value`
 * overrides, and flattening for diffs.
 */
import { type } from "arktype"
import type { Json } from "./canonical-json.ts"

/** A params schema: any arktype type whose output is a JSON object. */
export type ParamsSchema<P> = {
  (input: unknown): P | InstanceType<typeof type.errors>
  readonly infer: P
}

/** Validate `input` for stage instance `stage`; returns the params with defaults, or error lines. */
export const validateParams = <P>(
  stage: string,
  schema: ParamsSchema<P>,
  input: unknown,
): { ok: true; params: P } | { ok: false; problems: string[] } => {
  const out = schema(input)
  if (out instanceof type.errors) {
    const problems = [...out].map((e) => {
      const path = [stage, "params", ...e.path.map(String)].join(".")
      if (e.code === "predicate" && e.expected === "removed") return `${path}: unknown key (not in the stage's params)`
      const was = e.data === undefined ? "missing" : JSON.stringify(e.data)
      // arktype's problem reads "must be X (was <description>)"; a union's repeats the key first
      const problem = e.problem.replace(/\s*\(was [^)]*\)$/, "").replace(/^.*?\bmust be\b/, "must be")
      return `${path}: ${problem} (was ${was})`
    })
    return { ok: false, problems }
  }
  return { ok: true, params: out as P }
}

/** A parsed `--set stage.path.to.key=value` override. */
export interface ParamOverride {
  readonly stage: string
  readonly path: ReadonlyArray<string>
  readonly value: Json
}

/**
 * Parse `stage.key=value` (value as JSON when it parses, else a string: `lr=1e-4` is a number,
 * `dir=../data` a string). Fails with a message naming the override.
 */
export const parseOverride = (text: string): ParamOverride | string => {
  const eq = text.indexOf("=")
  if (eq <= 0) return `--set ${text}: expected stage.param=value`
  const path = text.slice(0, eq).split(".")
  if (path.length < 2 || path.some((p) => p === "")) return `--set ${text}: expected stage.param=value`
  const raw = text.slice(eq + 1)
  let value: Json
  try {
    value = JSON.parse(raw) as Json
  } catch {
    value = raw
  }
  return { stage: path[0]!, path: path.slice(1), value }
}

/** `base` with `value` set at `path` (copies along the path; `base` is not mutated). */
export const setAtPath = (base: Record<string, unknown>, path: ReadonlyArray<string>, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = path
  if (head === undefined) return base
  const child = base[head]
  return {
    ...base,
    [head]: rest.length === 0 ? value : setAtPath(typeof child === "object" && child !== null ? (child as Record<string, unknown>) : {}, rest, value),
  }
}

/** Flatten nested params to dotted keys: `{ a: { b: 1 } }` -> `{ "a.b": 1 }` (arrays stay leaves). */
export const flattenParams = (value: unknown, prefix = ""): Record<string, Json> => {
  const out: Record<string, Json> = {}
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) Object.assign(out, flattenParams(v, prefix === "" ? k : `${prefix}.${k}`))
  } else if (prefix !== "") out[prefix] = value as Json
  return out
}
