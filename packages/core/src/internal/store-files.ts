/** Small file-level pieces of the store: seals (a record's digest of itself) and removing read-only trees. */
import { chmodSync, lstatSync, readdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { canonicalJson, type Json } from "../canonical-json.ts"
import { sha256 } from "../digest.ts"

/** The record without its `seal` field. */
export const unsealed = <T extends { readonly [key: string]: unknown }>(record: T): Omit<T, "seal"> => {
  const { seal: _seal, ...rest } = record
  return rest
}

/** sha256 of the canonical JSON of a record without its `seal` field. */
export const sealOf = (record: object): string => sha256(canonicalJson(unsealed(record as { readonly [key: string]: unknown }) as Json))

/**
 * Remove a folder tree that may hold read-only folders (views are 0555): folders are made writable first,
 * so this works for non-root users too. Idempotent.
 */
export const removeTree = (dir: string): void => {
  const unlock = (d: string) => {
    let entries
    try {
      entries = readdirSync(d, { withFileTypes: true })
      if ((lstatSync(d).mode & 0o200) === 0) chmodSync(d, 0o755)
    } catch {
      return
    }
    for (const e of entries) if (e.isDirectory()) unlock(join(d, e.name))
  }
  unlock(dir)
  rmSync(dir, { recursive: true, force: true })
}
