/**
 * Digests of file and folder inputs. A file is hashed by content; a folder is a Merkle hash over its files'
 * sorted relative paths and digests (hidden entries, whose names start with ".", are ignored). The listing of a
 * folder (path, digest, size per file) is kept so a rerun can say which files changed.
 */
import { readdirSync, statSync } from "node:fs"
import { sep } from "node:path"
import { sha256 } from "./digest.ts"
import type { StatCache } from "./stat-cache.ts"

/** One file of a folder listing: relative path (with "/"), digest, size in bytes. */
export type ListingEntry = readonly [path: string, digest: string, size: number]

/** A folder's digest and its listing. */
export interface FolderDigest {
  readonly digest: string
  readonly listing: ReadonlyArray<ListingEntry>
}

/** Digest of a single file (through the stat cache). Throws the fs error when it is missing or a folder. */
export const digestFile = (path: string, cache: StatCache): string => {
  const stats = statSync(path)
  if (!stats.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: "ENOTFILE" })
  return cache.digest(path, stats).digest
}

/** Merkle digest of every non-hidden file under `root`, recursively, in sorted path order. */
export const digestFolder = (root: string, cache: StatCache): FolderDigest => {
  const listing: ListingEntry[] = []
  const walk = (dir: string, prefix: string) => {
    const names: string[] = []
    for (const d of readdirSync(dir, { withFileTypes: true })) if (d.name.charCodeAt(0) !== 46) names.push(d.name)
    names.sort()
    const base = dir.endsWith(sep) ? dir : dir + sep
    for (const name of names) {
      const abs = base + name
      const stats = statSync(abs)
      const rel = prefix === "" ? name : `${prefix}/${name}`
      if (stats.isDirectory()) walk(abs, rel)
      else if (stats.isFile()) {
        const d = cache.digest(abs, stats)
        listing.push([rel, d.digest, d.size])
      }
    }
  }
  const rootStats = statSync(root)
  if (!rootStats.isDirectory()) throw Object.assign(new Error(`${root} is not a folder`), { code: "ENOTDIR" })
  walk(root, "")
  return { digest: merkleDigest(listing), listing }
}

/** The Merkle digest of a listing: sha256 over `path\0digest\n` lines in the given (sorted) order. */
export const merkleDigest = (listing: ReadonlyArray<ListingEntry>): string => {
  let text = ""
  for (const [p, d] of listing) text += `${p}\0${d}\n`
  return sha256(text)
}

/** How two listings differ, for "input changed: 3 files under data/faces". */
export const diffListings = (
  before: ReadonlyArray<ListingEntry>,
  after: ReadonlyArray<ListingEntry>,
): { readonly added: string[]; readonly removed: string[]; readonly changed: string[] } => {
  const old = new Map(before.map(([p, d]) => [p, d]))
  const added: string[] = []
  const changed: string[] = []
  for (const [p, d] of after) {
    const o = old.get(p)
    if (o === undefined) added.push(p)
    else if (o !== d) changed.push(p)
    old.delete(p)
  }
  return { added, removed: [...old.keys()], changed }
}
