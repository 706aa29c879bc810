/**
 * Checking sealed store records that arrive as text (from a remote): a manifest must parse, name its key and
 * match its seal (format 2); a run record must parse and match its seal.
 */
import type { Json } from "./canonical-json.ts"
import { sealOf } from "./internal/store-files.ts"
import { runRecordFields, sealProblemOf, type Manifest } from "./store.ts"

/** Why a run record's text is not trustworthy, if it is not: it does not parse, is not an object, or fails its seal. */
export const runRecordProblem = (text: string): string | undefined => {
  let record: unknown
  try {
    record = JSON.parse(text)
  } catch (e) {
    return `not JSON: ${(e as Error).message}`
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "not a run record"
  return sealProblemOf(record as Record<string, Json>, runRecordFields)
}

/** Why a manifest's text is not a trustworthy manifest of `key`, if it is not (format 2 with a matching seal required). */
export const parseSealedManifest = (text: string, key: string): { readonly manifest: Manifest } | { readonly problem: string } => {
  let manifest: Manifest
  try {
    manifest = JSON.parse(text) as Manifest
  } catch (e) {
    return { problem: `not JSON: ${(e as Error).message}` }
  }
  if (typeof manifest !== "object" || manifest === null || manifest.key !== key || !Array.isArray(manifest.files)) return { problem: "does not name its key" }
  if (typeof manifest.seal !== "string") return { problem: "has no seal" }
  if (sealOf(manifest) !== manifest.seal) return { problem: "does not match its seal (edited or damaged)" }
  return { manifest }
}
