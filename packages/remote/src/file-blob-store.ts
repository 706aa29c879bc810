/**
 * A remote on a shared filesystem (`file:///shared/nfs/ganflow`), safe on NFS between hosts: no `flock` or
 * other cross-host locking. Every write goes to a unique temp name under the remote's own `tmp/` (host, pid and
 * random bytes in the name, fsynced) and is renamed into place, which is atomic within one filesystem, NFS
 * included; a publish that must not replace an existing blob (the first manifest wins) uses `link`, which
 * fails with EEXIST atomically on the server (and a link count of 2 on the temp file tells a retransmitted
 * link that succeeded from one that lost). Temp files of killed pushes are removed by `ganflow gc --remote`
 * once older than an hour. For a lab: make the folder group-writable with setgid (`chmod 2775`, umask 002).
 */
import { closeSync, constants, copyFileSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, accessSync } from "node:fs"
import { hostname } from "node:os"
import { dirname, join } from "node:path"
import { randomBytes } from "node:crypto"
import { Effect } from "effect"
import { RemoteAccessDenied, type RemoteAccessError, type RemoteListing, RemoteNotFound, RemoteRequestFailed, RemoteUnreachable } from "@ganflow/core"
import type { BlobStore, RemoteIdentity } from "./blob-store.ts"

/** The blob store of a shared folder `root`. */
export const fileBlobStore = (identity: RemoteIdentity, root: string): BlobStore => {
  const pathOf = (name: string) => join(root, ...name.split("/"))
  const fail = (operation: string, e: unknown) => fileSystemError(identity, operation, e)
  const attempt = <A>(operation: string, work: () => A): Effect.Effect<A, RemoteAccessError> => Effect.try({ try: work, catch: (e) => fail(operation, e) })
  const tempFor = (name: string) => {
    mkdirSync(join(root, "tmp"), { recursive: true })
    return join(root, "tmp", `${name.replace(/\//g, "_")}.${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`)
  }
  /** Write `fill`'s file at a temp name, fsync it, and hand it to `place`; the temp name never survives. */
  const viaTemp = <A>(name: string, fill: (tmp: string) => void, place: (tmp: string, target: string) => A): A => {
    const tmp = tempFor(name)
    try {
      fill(tmp)
      const fd = openSync(tmp, "r")
      try {
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      const target = pathOf(name)
      mkdirSync(dirname(target), { recursive: true })
      return place(tmp, target)
    } finally {
      rmSync(tmp, { force: true })
    }
  }
  return {
    identity,
    probe: () =>
      Effect.gen(function* () {
        const found = yield* attempt("opening the remote folder", () => {
          try {
            if (!statSync(root).isDirectory()) return "not a folder"
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return "missing"
            throw e
          }
          accessSync(root, constants.R_OK | constants.X_OK)
          return "ok"
        })
        if (found !== "ok") return yield* new RemoteNotFound({ ...identity, what: `folder ${root} (${found === "missing" ? "it does not exist: create it, or mount the shared filesystem" : "it is a file"})` })
      }),
    exists: (name) => attempt(`checking ${name}`, () => existsFile(pathOf(name))),
    download: (name, path) =>
      attempt(`downloading ${name}`, () => {
        try {
          copyFileSync(pathOf(name), path, constants.COPYFILE_EXCL)
          return true
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT" && !existsFile(pathOf(name))) return false
          throw e
        }
      }),
    read: (name) =>
      attempt(`reading ${name}`, () => {
        try {
          return readFileSync(pathOf(name), "utf8")
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined
          throw e
        }
      }),
    upload: (name, path) => attempt(`uploading ${name}`, () => viaTemp(name, (tmp) => copyFileSync(path, tmp), (tmp, target) => renameSync(tmp, target))),
    writeIfAbsent: (name, text) =>
      attempt(`publishing ${name}`, () =>
        viaTemp(name, (tmp) => writeFileSync(tmp, text), (tmp, target) => {
          try {
            linkSync(tmp, target)
            return "stored" as const
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
            // NFS: a retransmitted LINK whose first attempt succeeded answers EEXIST; then our temp has 2 links
            return statSync(tmp).nlink === 2 ? ("stored" as const) : ("kept" as const)
          }
        }),
      ),
    list: (dir) => attempt(`listing ${dir}`, () => listTree(join(root, dir), "")),
    remove: (name) => attempt(`removing ${name}`, () => rmSync(pathOf(name), { force: true })),
    removeAbandonedUploads: (olderThanMs) =>
      attempt("removing abandoned uploads", () => {
        let removed = 0
        for (const entry of listTree(join(root, "tmp"), "")) {
          if (Date.now() - entry.modifiedMs < olderThanMs) continue
          rmSync(join(root, "tmp", entry.name), { force: true })
          removed++
        }
        return removed
      }),
  }
}

const existsFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false
    throw e
  }
}

/** Every file under `dir` with its size and change time (none when `dir` does not exist). */
const listTree = (dir: string, prefix: string): RemoteListing[] => {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return []
    throw e
  }
  const out: RemoteListing[] = []
  for (const d of entries) {
    const name = prefix === "" ? d.name : `${prefix}/${d.name}`
    if (d.isDirectory()) out.push(...listTree(join(dir, d.name), name))
    else if (d.isFile()) {
      try {
        const s = statSync(join(dir, d.name))
        out.push({ name, size: s.size, modifiedMs: s.mtimeMs })
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e // removed meanwhile
      }
    }
  }
  return out
}

/** A file system failure as a remote error: permissions are access denied; a stale or gone mount is unreachable. */
const fileSystemError = (identity: RemoteIdentity, operation: string, e: unknown): RemoteAccessError => {
  const code = (e as NodeJS.ErrnoException).code
  const reason = (e as Error).message ?? String(e)
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new RemoteAccessDenied({ ...identity, reason: `${operation}: ${reason}` })
  if (code === "ESTALE" || code === "EIO" || code === "ENOTCONN" || code === "EHOSTDOWN" || code === "ETIMEDOUT" || code === "EHOSTUNREACH") {
    return new RemoteUnreachable({ ...identity, reason: `${operation}: ${reason}` })
  }
  return new RemoteRequestFailed({ ...identity, operation, reason })
}
