/**
 * Canonical JSON: object keys sorted, no whitespace, numbers in JavaScript's shortest round-trip form.
 * Two values that are deeply equal always give the same string, so the string can be hashed into a key.
 */

/** A JSON value as the engine stores it. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** Serialise `value` canonically. Fails with a TypeError naming the path for non-JSON values (functions, NaN, cycles). */
export const canonicalJson = (value: unknown): string => write(value, "$", new Set())

const write = (value: unknown, path: string, seen: Set<object>): string => {
  if (value === null) return "null"
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false"
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} cannot be stored as JSON`)
      return Object.is(value, -0) ? "0" : JSON.stringify(value)
    case "string":
      return JSON.stringify(value)
    case "object": {
      if (seen.has(value)) throw new TypeError(`${path}: circular reference`)
      seen.add(value)
      let out: string
      if (Array.isArray(value)) {
        out = `[${value.map((v, i) => write(v, `${path}[${i}]`, seen)).join(",")}]`
      } else {
        const entries = Object.keys(value)
          .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], `${path}.${k}`, seen)}`)
        out = `{${entries.join(",")}}`
      }
      seen.delete(value)
      return out
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} cannot be stored as JSON`)
  }
}
