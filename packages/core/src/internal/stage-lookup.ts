/** Look a planned stage up in the store by its key record, and say why it must run when it is not there. */
import { cacheKey, type KeyRecord } from "../cache-key.ts"
import { explainChange } from "../reasons.ts"
import type { Lookup, Store } from "../store.ts"

/** A stage's key, what the store holds under it, and (when it is not a hit) why it must run. */
export interface StageLookup {
  readonly key: string
  readonly found: Lookup
  readonly reasons: ReadonlyArray<string>
}

/** Look up `record` of stage instance `stage` of `pipeline` (a corrupt entry is removed by the lookup). */
export const lookupStage = (store: Store, pipeline: string, stage: string, record: KeyRecord): StageLookup => {
  const key = cacheKey(record)
  const found = store.objects.lookup(key)
  if (found.status === "hit") return { key, found, reasons: [] }
  const before = (store.history.readIndex(pipeline, stage) as { record?: KeyRecord } | undefined)?.record
  const reasons = [
    ...(found.status === "corrupt" ? [`cache entry corrupt, recomputing: ${found.reason}`] : []),
    ...(found.status === "corrupt" && before !== undefined && cacheKey(before) === key ? [] : explainChange(before, record, (d) => store.history.loadListing(d))),
  ]
  return { key, found, reasons }
}
