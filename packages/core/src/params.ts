/**
 * Stage params: validation against the stage's arktype schema (defaults filled, unknown keys rejected at every
 * depth), error lines that name the full path (`train.params.lr: must be a number (was "fast")`,
 * `fid.params.samplez: unknown key (did you mean samples?)`), and flattening for diffs.
 */
import { type } from "arktype"
import type { Json } from "./canonical-json.ts"
import { closestKey, declaredKeysAt, nestedKeyPathsAt } from "./key-suggestion.ts"

/** A params schema: any arktype type whose output is a JSON object. */
export type ParamsSchema<P> = {
  (input: unknown): P | InstanceType<typeof type.errors>
  readonly infer: P
  /** arktype: the same type with undeclared keys handled as `behavior` in every nested object. */
  onDeepUndeclaredKey(behavior: "reject"): unknown
  /** arktype: the type as JSON Schema (`fallback` stands in for what JSON Schema cannot say, e.g. morphs). */
  toJsonSchema(options: { fallback: (context: { readonly base: object }) => object }): unknown
}

const strictSchemas = new WeakMap<object, ParamsSchema<unknown>>()
/** `schema` rejecting undeclared keys in every object at every depth, so no stage can forget `"+": "reject"`. */
export const rejectingUnknownKeys = <P>(schema: ParamsSchema<P>): ParamsSchema<P> => {
  let strict = strictSchemas.get(schema)
  if (strict === undefined) strictSchemas.set(schema, (strict = schema.onDeepUndeclaredKey("reject") as ParamsSchema<unknown>))
  return strict as ParamsSchema<P>
}

const jsonSchemas = new WeakMap<object, unknown>()
/** `schema` as JSON Schema, for reading the keys it declares (undefined when it has no JSON Schema form). */
const jsonSchemaOf = (schema: ParamsSchema<unknown>): unknown => {
  if (!jsonSchemas.has(schema)) {
    try {
      jsonSchemas.set(schema, schema.toJsonSchema({ fallback: (context) => context.base }))
    } catch {
      jsonSchemas.set(schema, undefined)
    }
  }
  return jsonSchemas.get(schema)
}

/**
 * What an unknown key at `path` of `input` was probably meant to be: the closest sibling key (`samplez` ->
 * `samples`), else the one nested key of that name below (`resolution` -> `model.options.resolution`).
 */
const suggestKey = (schema: ParamsSchema<unknown>, path: ReadonlyArray<PropertyKey>, input: unknown): string | undefined => {
  const json = jsonSchemaOf(schema)
  if (json === undefined) return undefined
  const key = String(path.at(-1))
  const parent = path.slice(0, -1)
  const sibling = closestKey(key, declaredKeysAt(json, parent, input))
  if (sibling !== undefined) return sibling
  const nested = nestedKeyPathsAt(json, parent, input).filter((p) => p.slice(p.lastIndexOf(".") + 1).toLowerCase() === key.toLowerCase())
  return nested.length === 1 ? nested[0] : undefined
}

/**
 * Validate `input` for stage instance `stage` (unknown keys rejected at every depth); returns the params with
 * defaults, or one error line per problem, naming its full path.
 */
export const validateParams = <P>(
  stage: string,
  schema: ParamsSchema<P>,
  input: unknown,
): { ok: true; params: P } | { ok: false; problems: string[] } => {
  const strict = rejectingUnknownKeys(schema)
  const out = strict(input)
  if (out instanceof type.errors) {
    const problems = [...out].flatMap(problemsOf).map((p) => {
      const path = [stage, "params", ...p.path.map(String)].join(".")
      if (p.mustBe === undefined) {
        const suggestion = suggestKey(strict, p.path, input)
        return `${path}: unknown key (${suggestion !== undefined ? `did you mean ${suggestion}?` : "not in the stage's params"})`
      }
      // what the user gave at the path (an error's own data is the parent for a missing key, the root for a narrow)
      const given = valueAt(input, p.path)
      return `${path}: ${p.mustBe} (was ${given === undefined ? "missing" : JSON.stringify(given)})`
    })
    return { ok: false, problems }
  }
  return { ok: true, params: out as P }
}

type ParamsError = InstanceType<typeof type.errors>[number]

/** One thing wrong with params: an unknown key (no `mustBe`), or a value that must be something else. */
interface ParamsProblem {
  readonly path: ReadonlyArray<PropertyKey>
  readonly mustBe?: string
}

/**
 * What an arktype error says is wrong. A union's error becomes the errors of the branch the data chose: where some
 * branches fail only on a constant key (`architecture` is not "vanilla"), the others' errors are what is wrong, and
 * where every branch fails on it, that key must be one of the constants. (Compiled arktype types discriminate unions
 * themselves; interpreted ones, as the bundled CLI runs them, report every branch.)
 */
const problemsOf = (e: ParamsError): ParamsProblem[] => {
  if (e.code === "predicate" && e.expected === "removed") return [{ path: e.path }]
  if (e.code === "union" && "errors" in e) {
    const branches = e.errors as ReadonlyArray<ParamsError>
    const discriminantMismatch = (b: ParamsError) => b.code === "unit" && b.path.length === e.path.length + 1
    const chosen = branches.filter((b) => !discriminantMismatch(b))
    if (chosen.length > 0 && chosen.length < branches.length) return chosen.flatMap(problemsOf)
    const keys = new Set(branches.map((b) => String(b.path.at(-1))))
    if (chosen.length === 0 && keys.size === 1) {
      const allowed = [...new Set(branches.map((b) => String(b.expected)))].sort()
      return [{ path: branches[0]!.path, mustBe: `must be ${allowed.length > 1 ? `${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}` : allowed[0]}` }]
    }
  }
  // arktype's problem reads "must be X (was <description>)"; a union's repeats the key first
  return [{ path: e.path, mustBe: e.problem.replace(/\s*\(was [^)]*\)$/, "").replace(/^.*?\bmust be\b/, "must be") }]
}

const valueAt = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), value)

/** Flatten nested params to dotted keys: `{ a: { b: 1 } }` -> `{ "a.b": 1 }` (arrays stay leaves). */
export const flattenParams = (value: unknown, prefix = ""): Record<string, Json> => {
  const out: Record<string, Json> = {}
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) Object.assign(out, flattenParams(v, prefix === "" ? k : `${prefix}.${k}`))
  } else if (prefix !== "") out[prefix] = value as Json
  return out
}
