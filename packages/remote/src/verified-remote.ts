/**
 * The {@link RemoteStore} over a {@link BlobStore}: the store's layout, and the checks that make a shared cache
 * safe to trust. Every object downloaded is re-hashed (sha256 must be its digest); every manifest and run record
 * must parse and match its seal. What fails is reported as RemoteObjectCorrupt, never returned, and removed from
 * the remote (where the credentials allow) so the next push uploads a good copy instead of finding it "present".
 */
import { rmSync } from "node:fs"
import { Effect } from "effect"
import { hashFile, parseSealedManifest, type RemoteKind, RemoteNotFound, RemoteObjectCorrupt, RemoteRequestFailed, type RemoteStore, runRecordProblem } from "@ganflow/core"
import type { BlobStore } from "./blob-store.ts"

const digestPattern = /^[0-9a-f]{64}$/
const runIdPattern = /^[\w.-]+$/

/** The blob name of a thing of `kind` called `name` (a digest, cache key or run id). */
const blobName = (kind: RemoteKind, name: string): string => {
  const valid = kind === "runs" ? runIdPattern.test(name) && !name.startsWith(".") : digestPattern.test(name)
  if (!valid) throw new TypeError(`not a valid ${kind === "objects" ? "digest" : kind === "manifests" ? "cache key" : "run id"}: ${JSON.stringify(name)}`)
  return kind === "objects" ? `objects/${name.slice(0, 2)}/${name.slice(2)}` : `${kind}/${name}.json`
}

/** The name (digest, key, id) of a blob listed under `kind`, or undefined for a stray file. */
const nameOfListed = (kind: RemoteKind, listed: string): string | undefined => {
  if (kind === "objects") {
    const name = listed.replace("/", "")
    return digestPattern.test(name) && listed.length === 65 ? name : undefined
  }
  if (!listed.endsWith(".json") || listed.includes("/")) return undefined
  const name = listed.slice(0, -5)
  return (kind === "runs" ? runIdPattern.test(name) : digestPattern.test(name)) ? name : undefined
}

/** A remote named `name` (for messages) over `blobs`. */
export const verifiedRemote = (blobs: BlobStore): RemoteStore => {
  const identity = blobs.identity
  const named = (kind: RemoteKind, name: string) => Effect.sync(() => blobName(kind, name))
  /** Remove a corrupt blob, ignoring failures (read-only credentials): reporting it matters, removal helps. */
  const discard = (blob: string) => blobs.remove(blob).pipe(Effect.ignore)
  return {
    name: identity.remote,
    url: identity.url,
    hasObject: (digest) => named("objects", digest).pipe(Effect.flatMap(blobs.exists)),
    getObject: (digest, path) =>
      Effect.gen(function* () {
        const blob = yield* named("objects", digest)
        if (!(yield* blobs.download(blob, path))) return yield* new RemoteNotFound({ ...identity, what: `object ${digest}` })
        const actual = yield* Effect.try({
          try: () => hashFile(path).digest,
          catch: (e) => new RemoteRequestFailed({ ...identity, operation: `verifying the download of object ${digest}`, reason: (e as Error).message }),
        })
        if (actual === digest) return
        rmSync(path, { force: true })
        yield* discard(blob)
        return yield* new RemoteObjectCorrupt({ ...identity, what: `object ${digest}`, reason: `its sha256 is ${actual}; removed from the remote so the next push replaces it` })
      }),
    putObject: (digest, path) => named("objects", digest).pipe(Effect.flatMap((blob) => blobs.upload(blob, path))),
    getManifest: (key) =>
      Effect.gen(function* () {
        const blob = yield* named("manifests", key)
        const text = yield* blobs.read(blob)
        if (text === undefined) return yield* new RemoteNotFound({ ...identity, what: `entry ${key}` })
        const parsed = parseSealedManifest(text, key)
        if ("manifest" in parsed) return parsed.manifest
        yield* discard(blob)
        return yield* new RemoteObjectCorrupt({ ...identity, what: `manifest of entry ${key}`, reason: `${parsed.problem}; removed from the remote` })
      }),
    putManifest: (manifest) =>
      Effect.gen(function* () {
        const blob = yield* named("manifests", manifest.key)
        const checked = parseSealedManifest(JSON.stringify(manifest), manifest.key)
        if ("problem" in checked) return yield* Effect.die(new TypeError(`refusing to publish the manifest of ${manifest.key}: it ${checked.problem}`))
        return yield* blobs.writeIfAbsent(blob, JSON.stringify(manifest, null, 1))
      }),
    getRun: (id) =>
      Effect.gen(function* () {
        const blob = yield* named("runs", id)
        const text = yield* blobs.read(blob)
        if (text === undefined) return yield* new RemoteNotFound({ ...identity, what: `run record ${id}` })
        const problem = runRecordProblem(text)
        if (problem === undefined) return text
        yield* discard(blob)
        return yield* new RemoteObjectCorrupt({ ...identity, what: `run record ${id}`, reason: `${problem}; removed from the remote` })
      }),
    putRun: (id, text) =>
      Effect.gen(function* () {
        const blob = yield* named("runs", id)
        const problem = runRecordProblem(text)
        if (problem !== undefined) return yield* Effect.die(new TypeError(`refusing to publish run record ${id}: it ${problem}`))
        return yield* blobs.writeIfAbsent(blob, text)
      }),
    list: (kind) =>
      blobs.list(kind).pipe(
        Effect.map((listed) =>
          listed.flatMap((l) => {
            const name = nameOfListed(kind, l.name)
            return name === undefined ? [] : [{ ...l, name }]
          }),
        ),
      ),
    remove: (kind, name) => named(kind, name).pipe(Effect.flatMap(blobs.remove)),
    removeAbandonedUploads: blobs.removeAbandonedUploads,
  }
}
