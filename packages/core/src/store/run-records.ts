/** Run records (`runs/<id>.json`): one per run, sealed with their own digest, read back verified. */
import { readdirSync } from "node:fs"
import { join } from "node:path"
import type { Json } from "../canonical-json.ts"
import { readFileSafe, sealOf, sealProblemOf, unsealed, writeReadOnly } from "../internal/store-files.ts"
import { StoreFileCorrupt, type RunRecordsApi } from "./store-types.ts"

/** Fields of a run record; one without `seal` and with only these was written before seals. */
export const runRecordFields = ["id", "pipeline", "status", "startedAt", "durationMs", "profile", "overrides", "host", "stages"]

/** Run records in a local store folder. */
export class LocalRunRecords implements RunRecordsApi {
  constructor(readonly root: string) {}

  /** Write a run record (sealed with its own digest). */
  writeRun(id: string, record: { readonly [key: string]: Json }): string {
    const path = this.runPath(id)
    const asStored = JSON.parse(JSON.stringify(record)) as { readonly [key: string]: Json }
    writeReadOnly(path, JSON.stringify({ ...asStored, seal: sealOf(asStored) }, null, 1))
    return path
  }

  /** Path of the run record `id`. */
  runPath(id: string): string {
    return join(this.root, "runs", `${id}.json`)
  }

  /** Ids of all run records, oldest first. */
  runIds(): string[] {
    try {
      return readdirSync(join(this.root, "runs"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort()
    } catch {
      return []
    }
  }

  /** A run record by id; throws {@link StoreFileCorrupt} naming the file when it does not parse or match its seal. */
  readRun(id: string): Json | undefined {
    const path = this.runPath(id)
    const text = readFileSafe(path)
    if (text === undefined) return undefined
    let record: { readonly [key: string]: Json }
    try {
      record = JSON.parse(text) as { readonly [key: string]: Json }
    } catch (e) {
      throw new StoreFileCorrupt(path, `not JSON: ${(e as Error).message}`)
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new StoreFileCorrupt(path, "not a run record")
    const problem = sealProblemOf(record, runRecordFields)
    if (problem !== undefined) throw new StoreFileCorrupt(path, problem)
    return unsealed(record)
  }
}
