/**
 * What explains reruns: the key record of each stage instance's latest execution (`index/<pipeline>/<stage>.json`)
 * and folder listings by Merkle digest (`listings/<digest>.json`), so a rerun can say which params or files changed.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import type { Json } from "../canonical-json.ts"
import type { ListingEntry } from "../input-digest.ts"
import { writeFileAtomic } from "../internal/atomic-write.ts"
import { withWriteCause } from "../internal/write-cause.ts"
import { readFileSafe } from "../internal/store-files.ts"
import type { KeyHistoryApi } from "./store-types.ts"

/** Key records and listings in a local store folder. */
export class LocalKeyHistory implements KeyHistoryApi {
  constructor(readonly root: string) {}

  /** Keep a folder listing (by its Merkle digest) so later runs can say which files changed. */
  saveListing(digest: string, listing: ReadonlyArray<ListingEntry>): void {
    const path = join(this.root, "listings", `${digest}.json`)
    if (!existsSync(path)) writeFileAtomic(path, JSON.stringify(listing))
  }

  /** A listing saved earlier, if still there. */
  loadListing(digest: string): ReadonlyArray<ListingEntry> | undefined {
    const text = readFileSafe(join(this.root, "listings", `${digest}.json`))
    try {
      return text === undefined ? undefined : (JSON.parse(text) as ListingEntry[])
    } catch {
      return undefined // listings only explain reruns; a damaged one explains less
    }
  }

  /** Remember the key record of the latest execution of `pipeline`/`instance`. */
  writeIndex(pipeline: string, instance: string, record: Json): void {
    withWriteCause(() => writeFileAtomic(join(this.root, "index", pipeline, `${instance}.json`), JSON.stringify(record)))
  }

  /** The key record remembered for `pipeline`/`instance`. */
  readIndex(pipeline: string, instance: string): Json | undefined {
    const text = readFileSafe(join(this.root, "index", pipeline, `${instance}.json`))
    try {
      return text === undefined ? undefined : (JSON.parse(text) as Json)
    } catch {
      return undefined
    }
  }
}
