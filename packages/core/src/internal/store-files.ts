/** Small file-level pieces of the store: seals (a record's digest of itself), read-only files and trees, safe reads. */
import { chmodSync, lstatSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { writeFileAtomic } from "./atomic-write.ts"
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

/**
 * Why a sealed JSON record is not trustworthy, if it is not: its seal differs from its digest, or it has no seal
 * but a field an unsealed (older) record never had, which is what a damaged `seal` key looks like.
 */
export const sealProblemOf = (record: Record<string, Json>, unsealedFields: ReadonlyArray<string>): string | undefined => {
  if ("seal" in record) return sealOf(record) === record["seal"] ? undefined : "does not match its seal (edited or damaged)"
  const extra = Object.keys(record).find((k) => !unsealedFields.includes(k))
  return extra === undefined ? undefined : `has no seal and an unknown field "${extra}" (damaged)`
}

/** Write a file atomically and make it read-only. */
export const writeReadOnly = (path: string, data: string): void => {
  writeFileAtomic(path, data)
  chmodSync(path, 0o444)
}

/** Make every folder under (and including) `dir` read-only, as a view must stay. */
export const makeFoldersReadOnly = (dir: string): void => {
  for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) makeFoldersReadOnly(join(dir, d.name))
  chmodSync(dir, 0o555)
}

/** Number of files under `dir` (0 when it does not exist). */
export const countFiles = (dir: string): number => {
  let n = 0
  for (const d of readdirSafe(dir)) n += d.isDirectory() ? countFiles(join(dir, d.name)) : 1
  return n
}

const readdirSafe = (dir: string) => {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

/** Names in a folder (none when it does not exist). */
export const listFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** A file's text, or undefined when it cannot be read. */
export const readFileSafe = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return undefined
  }
}


/** Whether a process with this pid is running (ours always is). */
export const isAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

