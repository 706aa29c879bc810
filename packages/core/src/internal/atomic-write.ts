/** Write-to-temp-then-rename, so readers see the old file or the new one, never half of one. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { randomBytes } from "node:crypto"

/** A unique sibling temp name for `path`. */
export const tempName = (path: string): string => `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`

/** Atomically replace `path` with `data`, creating parent folders. */
export const writeFileAtomic = (path: string, data: string | Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = tempName(path)
  try {
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}
