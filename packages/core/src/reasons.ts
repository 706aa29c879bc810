/**
 * Why a stage reruns, in words: `params changed: lr 0.0002 -> 0.0001`, `input changed: 3 files under
 * data/faces`, `code changed: packages/models/src/dcgan.ts`. Cheapest differences are named first.
 */
import type { Json } from "./canonical-json.ts"
import { canonicalJson } from "./canonical-json.ts"
import type { KeyRecord } from "./cache-key.ts"
import { diffListings, type ListingEntry } from "./input-digest.ts"
import { flattenParams } from "./params.ts"

const show = (v: Json | undefined): string => (v === undefined ? "(unset)" : typeof v === "string" ? v : canonicalJson(v))

const listNames = (names: ReadonlyArray<string>, max = 3): string =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`

/** The reasons `now` differs from `before`; `listing` loads a saved folder listing by digest. */
export const explainChange = (
  before: KeyRecord | undefined,
  now: KeyRecord,
  listing: (digest: string) => ReadonlyArray<ListingEntry> | undefined,
): string[] => {
  if (before === undefined) return ["never run before"]
  const reasons: string[] = []
  if (before.stage !== now.stage || before.version !== now.version) {
    reasons.push(`stage changed: ${before.stage}@${before.version} -> ${now.stage}@${now.version}`)
  }
  const p0 = flattenParams(before.params)
  const p1 = flattenParams(now.params)
  const changedParams = [...new Set([...Object.keys(p0), ...Object.keys(p1)])]
    .sort()
    .filter((k) => canonicalJson(p0[k] ?? null) !== canonicalJson(p1[k] ?? null))
    .map((k) => `${k} ${show(p0[k])} -> ${show(p1[k])}`)
  if (changedParams.length > 0) reasons.push(`params changed: ${changedParams.join(", ")}`)
  for (const [name, input] of Object.entries(now.inputs)) {
    const old = before.inputs[name]
    if (old !== undefined && old.kind !== "none" && input.kind !== "none" && old.digest === input.digest) continue
    if (old === undefined || old.kind !== input.kind) {
      reasons.push(`input ${name} is new`)
    } else if (input.kind === "upstream") {
      reasons.push(`upstream ${input.stage} produced new outputs`)
    } else if (input.kind === "file") {
      reasons.push(`input changed: ${input.path}`)
    } else if (input.kind === "folder" && old.kind === "folder") {
      if (old.path !== input.path) {
        reasons.push(`input changed: ${name} now reads ${input.path} (was ${old.path})`)
        continue
      }
      const a = listing(old.digest)
      const b = listing(input.digest)
      if (a === undefined || b === undefined) reasons.push(`input changed: files under ${input.path}`)
      else {
        const d = diffListings(a, b)
        const n = d.added.length + d.removed.length + d.changed.length
        const parts = [
          d.changed.length > 0 ? `${d.changed.length} changed` : "",
          d.added.length > 0 ? `${d.added.length} added` : "",
          d.removed.length > 0 ? `${d.removed.length} removed` : "",
        ].filter((s) => s !== "")
        reasons.push(
          `input changed: ${n} file${n === 1 ? "" : "s"} under ${input.path} (${parts.join(", ")}: ${listNames([...d.changed, ...d.added, ...d.removed])})`,
        )
      }
    }
  }
  for (const name of Object.keys(before.inputs)) if (!(name in now.inputs)) reasons.push(`input ${name} removed`)
  if (before.code.digest !== now.code.digest) {
    const files = [...new Set([...Object.keys(before.code.files), ...Object.keys(now.code.files)])]
      .sort()
      .filter((f) => before.code.files[f] !== now.code.files[f])
    const pkgs = [...new Set([...Object.keys(before.code.packages), ...Object.keys(now.code.packages)])]
      .sort()
      .filter((p) => before.code.packages[p] !== now.code.packages[p])
      .map((p) => `${p} ${before.code.packages[p] ?? "(none)"} -> ${now.code.packages[p] ?? "(none)"}`)
    if (files.length > 0) reasons.push(`code changed: ${listNames(files)}`)
    if (pkgs.length > 0) reasons.push(`packages changed: ${listNames(pkgs)}`)
  }
  return reasons.length > 0 ? reasons : ["no earlier output with this key (store was cleared or entry was removed)"]
}
