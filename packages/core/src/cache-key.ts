/**
 * The cache key of a stage execution: sha256 of one canonical record holding the store format, the stage's
 * name and version, its code fingerprint, its params after defaults, and the digest of every input.
 * The full record (with per-file code digests and folder listings by reference) is kept in the store's index
 * so that a later run can explain why it reruns.
 */
import { canonicalJson, type Json } from "./canonical-json.ts"
import { sha256 } from "./digest.ts"
import { storeFormat } from "./store.ts"

/** The digest of one input, with what is needed to explain a change. */
export type InputRecord =
  | { readonly kind: "upstream"; readonly stage: string; readonly digest: string }
  | { readonly kind: "file"; readonly path: string; readonly digest: string }
  | { readonly kind: "folder"; readonly path: string; readonly digest: string; readonly count: number }
  | { readonly kind: "none" }

/** Everything a stage execution's output depends on. */
export interface KeyRecord {
  readonly stage: string
  readonly version: number | string
  readonly code: { readonly digest: string; readonly files: Readonly<Record<string, string>>; readonly packages: Readonly<Record<string, string>> }
  readonly params: Json
  readonly inputs: Readonly<Record<string, InputRecord>>
}

const keyMaterial = (r: KeyRecord, omitParams: ReadonlyArray<string> = []) => {
  let params = r.params
  if (omitParams.length > 0 && typeof params === "object" && params !== null && !Array.isArray(params)) {
    params = Object.fromEntries(Object.entries(params).filter(([k]) => !omitParams.includes(k)))
  }
  return {
    format: storeFormat,
    stage: r.stage,
    version: r.version,
    code: r.code.digest,
    params,
    inputs: Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, v.kind === "none" ? null : v.digest])),
  }
}

/** The cache key: sha256 (hex) of the canonical key material. */
export const cacheKey = (record: KeyRecord): string => sha256(canonicalJson(keyMaterial(record)))

/** The checkpoint key: like the cache key but without the params in `omit` (e.g. the step budget). */
export const checkpointKey = (record: KeyRecord, omit: ReadonlyArray<string>): string =>
  sha256(canonicalJson({ checkpoints: keyMaterial(record, omit) }))
