/**
 * Stage params: validation against the stage's arktype schema (defaults filled, unknown keys rejected at every
 * depth), error lines that name the full path (`train.params.lr: must be a number (was "fast")`,
 * `fid.params.samplez: unknown key (did you mean samples?)`), and flattening for diffs.
 */
import { type } from "arktype"
import type { Json } from "./canonical-json.ts"
import { closestKey, declaredKeysAt } from "./key-suggestion.ts"

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
/** The keys `schema` declares for the object at `path` of `input` (none when it has no JSON Schema form). */
const keysAt = (schema: ParamsSchema<unknown>, path: ReadonlyArray<PropertyKey>, input: unknown): string[] => {
  if (!jsonSchemas.has(schema)) {
    try {
      jsonSchemas.set(schema, schema.toJsonSchema({ fallback: (context) => context.base }))
    } catch {
      jsonSchemas.set(schema, undefined)
    }
  }
  const json = jsonSchemas.get(schema)
  return json === undefined ? [] : declaredKeysAt(json, path, input)
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
    const problems = [...out].map((e) => {
      const path = [stage, "params", ...e.path.map(String)].join(".")
      if (e.code === "predicate" && e.expected === "removed") {
        const key = String(e.path.at(-1))
        const suggestion = closestKey(key, keysAt(strict, e.path.slice(0, -1), input))
        return `${path}: unknown key (${suggestion !== undefined ? `did you mean ${suggestion}?` : "not in the stage's params"})`
      }
      // what the user gave at the path (an error's own data is the parent for a missing key, the root for a narrow)
      const given = valueAt(input, e.path)
      const was = given === undefined ? "missing" : JSON.stringify(given)
      // arktype's problem reads "must be X (was <description>)"; a union's repeats the key first
      const problem = e.problem.replace(/\s*\(was [^)]*\)$/, "").replace(/^.*?\bmust be\b/, "must be")
      return `${path}: ${problem} (was ${was})`
    })
    return { ok: false, problems }
  }
  return { ok: true, params: out as P }
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
