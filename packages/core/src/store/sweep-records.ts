/**
 * Sweep records (`sweeps/<id>.json`, beside `runs/`): a sweep's definition and, per variant, its configuration, seed,
 * status and the run record it produced. Rewritten (sealed, atomically) as variants finish, so a killed sweep's
 * record says which variants were done; a rerun of the same definition continues the same record.
 */
import { readdirSync } from "node:fs"
import { join } from "node:path"
import type { Json } from "../canonical-json.ts"
import { readFileSafe, sealOf, sealProblemOf, unsealed, writeReadOnly } from "../internal/store-files.ts"
import { StoreFileCorrupt } from "./store-types.ts"

/** One variant in a sweep record. */
export interface SweepVariantRecord {
  readonly id: string
  readonly config: { readonly [axis: string]: Json }
  readonly seed: number | null
  readonly configKey: string
  readonly overrides: ReadonlyArray<string>
  /** pending: not finished yet (or the sweep was killed while it ran). */
  readonly status: "pending" | "ok" | "failed" | "interrupted"
  /** The run record of its latest run. */
  readonly runId: string | null
  /** Why it failed: the failing stages with their errors. */
  readonly error: string | null
  /** Stage executions of its latest run: ran, and answered from the cache. */
  readonly ran: number
  readonly cached: number
}

/** A sweep record as stored. */
export interface SweepRecord {
  readonly id: string
  readonly name: string
  readonly pipeline: string
  readonly definition: Json
  readonly axes: ReadonlyArray<string>
  readonly seedParams: ReadonlyArray<string>
  readonly baseOverrides: ReadonlyArray<string>
  readonly profile: string | null
  readonly status: "running" | "ok" | "failed" | "interrupted"
  readonly createdAt: string
  readonly updatedAt: string
  /** How many times the sweep was started (a rerun after a kill continues the same record). */
  readonly attempts: number
  readonly variants: ReadonlyArray<SweepVariantRecord>
}

/** Sweep records in a local store folder. */
export class LocalSweepRecords {
  constructor(readonly root: string) {}

  /** Path of sweep record `id`. */
  sweepPath(id: string): string {
    return join(this.root, "sweeps", `${id}.json`)
  }

  /** Write (or replace) a sweep record, sealed with its own digest. */
  writeSweep(record: SweepRecord): string {
    const path = this.sweepPath(record.id)
    const asStored = JSON.parse(JSON.stringify(record)) as { readonly [key: string]: Json }
    writeReadOnly(path, JSON.stringify({ ...asStored, seal: sealOf(asStored) }, null, 1))
    return path
  }

  /** Ids of all sweep records, sorted. */
  sweepIds(): string[] {
    try {
      return readdirSync(join(this.root, "sweeps"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort()
    } catch {
      return []
    }
  }

  /** A sweep record by id; throws {@link StoreFileCorrupt} naming the file when it does not parse or match its seal. */
  readSweep(id: string): SweepRecord | undefined {
    const path = this.sweepPath(id)
    const text = readFileSafe(path)
    if (text === undefined) return undefined
    let record: Record<string, Json>
    try {
      record = JSON.parse(text) as Record<string, Json>
    } catch (e) {
      throw new StoreFileCorrupt(path, `not JSON: ${(e as Error).message}`)
    }
    if (typeof record !== "object" || record === null || Array.isArray(record) || !("seal" in record)) throw new StoreFileCorrupt(path, "not a sealed sweep record")
    const problem = sealProblemOf(record, [])
    if (problem !== undefined) throw new StoreFileCorrupt(path, problem)
    return unsealed(record) as unknown as SweepRecord
  }

  /** A sweep by id or unique prefix ("latest": the one updated last); throws StoreFileCorrupt naming a damaged record. */
  findSweep(idOrPrefix: string): SweepRecord | undefined {
    const ids = this.sweepIds()
    if (idOrPrefix === "latest") {
      const all = ids.map((id) => this.readSweep(id)!).filter((r) => r !== undefined)
      return all.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1)
    }
    if (ids.includes(idOrPrefix)) return this.readSweep(idOrPrefix)
    const matches = ids.filter((id) => id.startsWith(idOrPrefix) || id.endsWith(idOrPrefix))
    return matches.length === 1 ? this.readSweep(matches[0]!) : undefined
  }
}
