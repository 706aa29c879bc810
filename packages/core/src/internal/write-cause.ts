/**
 * The real cause of a failed store write. `mkdir -p` under a read-only bind mount reports ENOENT for the folder it
 * could not create, which reads as "something was deleted"; the nearest existing folder's own writability says
 * what is really wrong (EROFS, EACCES), so that error (with its code and path) is thrown instead.
 */
import { accessSync, constants, existsSync } from "node:fs"
import { dirname } from "node:path"

/** Run a store write; a file-system failure is rethrown as the writability error of the nearest existing folder, if any. */
export const withWriteCause = <T>(write: () => T): T => {
  try {
    return write()
  } catch (e) {
    const path = (e as NodeJS.ErrnoException).path
    if (typeof (e as NodeJS.ErrnoException).code !== "string" || path === undefined) throw e
    let folder = path
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder)
    accessSync(folder, constants.W_OK) // throws the folder's own EROFS/EACCES when that is the cause
    throw e
  }
}
