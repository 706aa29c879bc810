/**
 * One contract, two remotes: the same checks against S3 (a real s3rver process over HTTP) and a shared folder
 * (`file://` in a temp dir). Entries are real store entries committed by `Store`; pulls go into empty stores.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, Exit, Cause, Option } from "effect"
import { lookupLocalThenRemote, type Manifest, openLocalStore, pullEntry, pullRun, pushEntry, pushRun, Remote, type RemoteStore, RemoteUnreachable, sha256, type Store } from "@ganflow/core"
import { addRemote, blobStoreOf, collectRemoteGarbage, remoteLayer, openRemoteWith, pullStore, pushStore, s3BlobStore, verifiedRemote, type BlobStore, type RemoteSettings } from "../src/index.ts"
import { s3rverCredentials, startS3rver, type S3rverProcess } from "./s3rver-process.ts"

const scratch = mkdtempSync(join(tmpdir(), "ganflow-remote-test-"))
let counter = 0
const freshDir = (label: string) => join(scratch, `${label}-${counter++}`)
const newStore = () => {
  const store = openLocalStore(freshDir("store"))
  store.objects.warn = () => {}
  return store
}
const keyOf = (label: string) => sha256(`key:${label}`)

/** Commit an entry with these files under `key` in `store`. */
const commitEntry = (store: Store, key: string, files: Record<string, string | Uint8Array>, value: unknown = null): Manifest => {
  const out = store.objects.makeTemp("out")
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(out, rel, ".."), { recursive: true })
    writeFileSync(join(out, rel), content)
  }
  const manifest = store.objects.commit(key, out, { stage: "test-stage", instance: "test", pipeline: "contract", value: value as null, metrics: { loss: 0.5 }, env: {}, durationMs: 3 })
  store.objects.removeTemp(out)
  return manifest
}

/** Commit a sealed run record naming these stage keys. */
const commitRun = (store: Store, id: string, keys: ReadonlyArray<string>) =>
  store.runs.writeRun(id, {
    id, pipeline: "contract", status: "ok", startedAt: new Date().toISOString(), durationMs: 5, profile: null, overrides: [],
    host: { node: "v20", platform: "linux", cpus: 2 },
    stages: keys.map((key, i) => ({ name: `s${i}`, stage: "test-stage", upstreams: [], status: "ran", key, reasons: [], durationMs: 1, metrics: {}, env: {}, params: {} })),
  })

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
/** The tag of the failure `effect` fails with. */
const failureTag = async <A, E>(effect: Effect.Effect<A, E>): Promise<string> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return "succeeded"
  const failure = Cause.failureOption(exit.cause)
  return Option.isSome(failure) ? (failure.value as { _tag: string })._tag : `defect: ${Cause.pretty(exit.cause)}`
}
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E & { message: string }> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Option.getOrThrow(Cause.failureOption(exit.cause)) as E & { message: string }
}

/** What each implementation's test setup provides. */
interface RemoteUnderTest {
  readonly settings: () => RemoteSettings
  /** Flip one bit of the stored object `digest`, as damage on the remote's disk would. */
  readonly flipObjectBit: (digest: string) => Promise<void>
}

/** Replace a blob's bytes through the blob store (for S3: the PutObject any client could do). */
const overwriteBlob = async (blobs: BlobStore, name: string, edit: (bytes: Buffer) => Buffer) => {
  const path = join(freshDir("blob"), "b")
  mkdirSync(join(path, ".."), { recursive: true })
  expect(await run(blobs.download(name, path))).toBe(true)
  const edited = join(path, "..", "edited")
  writeFileSync(edited, edit(readFileSync(path)))
  await run(blobs.upload(name, edited))
}
const flipFirstBit = (bytes: Buffer) => {
  const copy = Buffer.from(bytes)
  copy[0] = copy[0]! ^ 1
  return copy
}

let s3: S3rverProcess
const fileRoot = freshDir("nfs")
const implementations: Record<string, RemoteUnderTest> = {
  "s3 (s3rver)": {
    settings: () => ({ url: `s3://${s3.bucket}/team/ganflow`, endpoint: s3.endpoint }),
    flipObjectBit: async (digest) => {
      const blobs = await run(blobStoreOf("lab", implementations["s3 (s3rver)"]!.settings()))
      await overwriteBlob(blobs, `objects/${digest.slice(0, 2)}/${digest.slice(2)}`, flipFirstBit)
    },
  },
  "file:// (shared folder)": {
    settings: () => ({ url: `file://${fileRoot}` }),
    flipObjectBit: async (digest) => {
      const path = join(fileRoot, "objects", digest.slice(0, 2), digest.slice(2))
      chmodSync(path, 0o644)
      writeFileSync(path, flipFirstBit(readFileSync(path)))
    },
  },
}

beforeAll(async () => {
  Object.assign(process.env, s3rverCredentials)
  mkdirSync(fileRoot, { recursive: true })
  s3 = await startS3rver()
}, 30_000)
afterAll(async () => {
  await s3?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

for (const [label, impl] of Object.entries(implementations)) {
  describe(`remote contract: ${label}`, () => {
    const open = () => run(openRemoteWith("lab", impl.settings()))
    let remote: RemoteStore
    beforeAll(async () => {
      remote = await open()
    })

    it("push then pull into an empty store reproduces the entry, and its manifest verifies there", async () => {
      const a = newStore()
      const key = keyOf(`${label}-roundtrip`)
      const pushed = commitEntry(a, key, { "samples/grid.png": "png bytes", "weights.bin": new Uint8Array([1, 2, 3, 250]), "dup.txt": "png bytes" }, { fid: 12.5 })
      const up = await run(pushEntry(a, remote, key))
      expect(up).toEqual({ key, uploadedObjects: 2, uploadedBytes: 13, manifest: "stored" })
      expect(await run(remote.hasObject(pushed.files[0]![1]))).toBe(true)
      expect((await run(remote.list("manifests"))).map((l) => l.name)).toContain(key)

      const b = newStore()
      const pulled = await run(pullEntry(b, remote, key))
      expect(pulled.source).toBe("remote")
      expect(pulled.manifest).toEqual(pushed)
      expect(pulled.downloadedObjects).toBe(2)
      const local = b.objects.lookup(key)
      expect(local.status).toBe("hit")
      expect(readFileSync(join(b.objects.outDir(key), "samples/grid.png"), "utf8")).toBe("png bytes")
      expect([...readFileSync(join(b.objects.outDir(key), "weights.bin"))]).toEqual([1, 2, 3, 250])
      expect(b.objects.verifyFresh(pulled.manifest)).toBeUndefined()
      // a second pull is a local hit: nothing is asked of the remote
      expect((await run(pullEntry(b, remote, key))).source).toBe("local")
      // pushing again uploads nothing: the remote's manifest is kept
      expect(await run(pushEntry(a, remote, key))).toEqual({ key, uploadedObjects: 0, uploadedBytes: 0, manifest: "kept" })
    })

    it("the runner's lookup: local first, then the remote's manifest without downloading objects", async () => {
      const a = newStore()
      const key = keyOf(`${label}-lookup`)
      const m = commitEntry(a, key, { "big.bin": "pretend these are many megabytes" })
      expect((await run(lookupLocalThenRemote(a, remote, key))).status).toBe("local")
      const b = newStore()
      expect(await run(lookupLocalThenRemote(b, remote, key))).toEqual({ status: "absent" })
      await run(pushEntry(a, remote, key))
      const found = await run(lookupLocalThenRemote(b, remote, key))
      expect(found).toEqual({ status: "remote", manifest: m })
      expect(existsSync(b.objects.objectPath(m.files[0]![1]))).toBe(false)
      if (found.status !== "remote") throw new Error("unreachable")
      const pulled = await run(pullEntry(b, remote, key, { manifest: found.manifest }))
      expect(pulled.downloadedBytes).toBe(m.files[0]![2])
      expect((await run(lookupLocalThenRemote(b, remote, key))).status).toBe("local")
    })

    it("a missing entry or object is RemoteNotFound, and nothing is written locally", async () => {
      const b = newStore()
      expect(await failureTag(pullEntry(b, remote, keyOf(`${label}-never-pushed`)))).toBe("RemoteNotFound")
      expect(await failureTag(remote.getObject(sha256("nothing"), join(b.root, "tmp", "x")))).toBe("RemoteNotFound")
      expect(existsSync(b.objects.manifestPath(keyOf(`${label}-never-pushed`)))).toBe(false)
    })

    it("an upload that fails midway publishes no manifest; a pull missing an object commits nothing", async () => {
      const a = newStore()
      const key = keyOf(`${label}-half`)
      const m = commitEntry(a, key, { "g.bin": "generator weights", "d.bin": "discriminator weights" })
      // the real remote, with the connection dropping after the first object
      let puts = 0
      const dropping: RemoteStore = { ...remote, putObject: (d, p) => (++puts > 1 ? Effect.fail(new RemoteUnreachable({ remote: "lab", url: remote.url, reason: "connection reset" })) : remote.putObject(d, p)) }
      expect(await failureTag(pushEntry(a, dropping, key))).toBe("RemoteUnreachable")
      expect(await failureTag(remote.getManifest(key))).toBe("RemoteNotFound")
      expect(await run(lookupLocalThenRemote(newStore(), remote, key))).toEqual({ status: "absent" })

      // a complete push, then one object lost on the remote: the pull downloads the other and commits nothing
      await run(pushEntry(a, remote, key))
      await run(remote.remove("objects", m.files[0]![1]))
      const b = newStore()
      expect(await failureTag(pullEntry(b, remote, key))).toBe("RemoteNotFound")
      expect(b.objects.lookup(key).status).toBe("absent")
      expect(existsSync(b.objects.outDir(key))).toBe(false)
    })

    it("objects larger than the in-memory upload size stream both ways", async () => {
      const a = newStore()
      const key = keyOf(`${label}-large`)
      const big = new Uint8Array(20 << 20).map((_, i) => (i * 2654435761) >>> 24)
      const m = commitEntry(a, key, { "dataset.bin": big })
      expect((await run(pushEntry(a, remote, key))).uploadedBytes).toBe(20 << 20)
      const b = newStore()
      await run(pullEntry(b, remote, key))
      expect(b.objects.verifyFresh(m)).toBeUndefined()
      expect(readFileSync(join(b.objects.outDir(key), "dataset.bin")).equals(Buffer.from(big))).toBe(true)
    }, 30_000)

    it("a bit flip in a remote object is detected on pull: reported, never used, removed so the next push repairs it", async () => {
      const a = newStore()
      const key = keyOf(`${label}-bitflip`)
      const m = commitEntry(a, key, { "model.bin": "the trained generator's weights" })
      await run(pushEntry(a, remote, key))
      await impl.flipObjectBit(m.files[0]![1])

      const b = newStore()
      const error = await failureOf(pullEntry(b, remote, key))
      expect(error._tag).toBe("RemoteObjectCorrupt")
      expect(error.message).toContain(`object ${m.files[0]![1]}`)
      expect(error.message).toContain("remote lab")
      // nothing committed locally: no manifest, no object with the damaged bytes, no temp left
      expect(b.objects.lookup(key).status).toBe("absent")
      expect(existsSync(b.objects.objectPath(m.files[0]![1]))).toBe(false)
      expect(readdirSync(join(b.root, "tmp"))).toEqual([])
      // the damaged object is gone from the remote, so a push uploads a good copy and the entry pulls again
      expect(await run(remote.hasObject(m.files[0]![1]))).toBe(false)
      expect((await run(pushEntry(a, remote, key))).uploadedObjects).toBe(1)
      expect((await run(pullEntry(b, remote, key))).source).toBe("remote")
      expect(readFileSync(join(b.objects.outDir(key), "model.bin"), "utf8")).toBe("the trained generator's weights")
    })

    it("an edited remote manifest fails its seal: reported and never used", async () => {
      const a = newStore()
      const key = keyOf(`${label}-edited-manifest`)
      commitEntry(a, key, { "metrics.json": "{}" })
      await run(pushEntry(a, remote, key))
      const blobs = await run(blobStoreOf("lab", impl.settings()))
      await overwriteBlob(blobs, `manifests/${key}.json`, (bytes) => Buffer.from(bytes.toString().replace('"loss": 0.5', '"loss": 0.1')))
      const error = await failureOf(pullEntry(newStore(), remote, key))
      expect(error._tag).toBe("RemoteObjectCorrupt")
      expect(error.message).toContain("does not match its seal")
    })

    it("the first manifest of a key wins; concurrent pushes of one key end with one complete, verifying entry", async () => {
      const key = keyOf(`${label}-first-wins`)
      const first = newStore()
      const second = newStore()
      const m1 = commitEntry(first, key, { "out.txt": "machine one" })
      commitEntry(second, key, { "out.txt": "machine two" })
      expect((await run(pushEntry(first, remote, key))).manifest).toBe("stored")
      expect((await run(pushEntry(second, remote, key))).manifest).toBe("kept")
      expect((await run(remote.getManifest(key))).outputDigest).toBe(m1.outputDigest)

      const racing = keyOf(`${label}-racing`)
      const stores = [newStore(), newStore(), newStore()]
      const digests = stores.map((s, i) => commitEntry(s, racing, { "out.txt": `racer ${i}`, "shared.bin": "same bytes on every machine" }).outputDigest)
      const outcomes = await run(Effect.all(stores.map((s) => pushEntry(s, remote, racing)), { concurrency: "unbounded" }))
      expect(outcomes.some((o) => o.manifest === "stored")).toBe(true)
      const b = newStore()
      const pulled = await run(pullEntry(b, remote, racing))
      expect(digests).toContain(pulled.manifest.outputDigest)
      expect(b.objects.verifyFresh(pulled.manifest)).toBeUndefined()
    })

    it("run records travel sealed; a whole-store push then pull reproduces every entry and record", async () => {
      const a = newStore()
      const keys = [0, 1, 2].map((i) => keyOf(`${label}-whole-${i}`))
      keys.forEach((k, i) => commitEntry(a, k, { [`stage-${i}.txt`]: `output ${i}`, "common.txt": "shared" }))
      const runId = `20261204-150000000-contract-${label.replace(/\W/g, "")}`
      commitRun(a, runId, keys)
      const pushed = await run(pushStore(a, remote))
      expect(pushed.entries).toBe(3)
      expect(pushed.runs).toBe(1)
      expect(pushed.skipped).toEqual([])

      // pull one run into an empty store: its record and exactly its entries
      const b = newStore()
      const pulled = await run(pullStore(b, remote, runId))
      expect(pulled).toMatchObject({ entries: 3, runs: 1, failed: [] })
      expect(b.runs.readRun(runId)).toEqual(a.runs.readRun(runId))
      for (const k of keys) {
        const hit = b.objects.lookup(k)
        expect(hit.status).toBe("hit")
        if (hit.status === "hit") expect(b.objects.verifyFresh(hit.manifest)).toBeUndefined()
        expect(b.objects.readManifest(k)).toEqual(a.objects.readManifest(k))
      }
      // a record already there is kept; a damaged one on the remote is refused
      const c = newStore()
      expect(await run(pullRun(c, remote, runId))).toBe("stored")
      expect(await run(pushRun(c, remote, runId))).toBe("kept")
      const blobs = await run(blobStoreOf("lab", impl.settings()))
      await overwriteBlob(blobs, `runs/${runId}.json`, (bytes) => Buffer.from(bytes.toString().replace('"status": "ok"', '"status": "failed"')))
      const error = await failureOf(pullRun(newStore(), remote, runId))
      expect(error._tag).toBe("RemoteObjectCorrupt")
      expect(error.message).toContain(`run record ${runId}`)
    })

    it("remote gc removes unreferenced objects and broken manifests, keeps complete entries", async () => {
      const a = newStore()
      const kept = keyOf(`${label}-gc-kept`)
      const broken = keyOf(`${label}-gc-broken`)
      commitEntry(a, kept, { "keep.txt": "kept by an entry" })
      const mb = commitEntry(a, broken, { "lost.txt": "its object will be lost" })
      await run(pushEntry(a, remote, kept))
      await run(pushEntry(a, remote, broken))
      const orphan = commitEntry(a, keyOf(`${label}-gc-orphan`), { "orphan.txt": "no manifest on the remote names me" })
      await run(remote.putObject(orphan.files[0]![1], a.objects.objectPath(orphan.files[0]![1])))
      await run(remote.remove("objects", mb.files[0]![1]))

      // young objects are left alone (a push in progress uploads objects before its manifest)
      // a manifest naming a lost object can never be pulled: removed at once
      const young = await run(collectRemoteGarbage(remote))
      expect(young.removedObjects).toBe(0)
      expect(young.removedManifests).toBeGreaterThanOrEqual(1)
      expect(await run(remote.hasObject(orphan.files[0]![1]))).toBe(true)
      const r = await run(collectRemoteGarbage(remote, { graceMs: 0, now: Date.now() + 5_000 }))
      expect(r.removedObjects).toBeGreaterThanOrEqual(1)
      expect(await run(remote.hasObject(orphan.files[0]![1]))).toBe(false)
      expect(await failureTag(remote.getManifest(broken))).toBe("RemoteNotFound")
      expect((await run(pullEntry(newStore(), remote, kept))).source).toBe("remote")
    })
  })
}

describe("the Remote service", () => {
  it("remoteLayer opens a configured remote as the Remote service; an unknown name fails naming it", async () => {
    const ws = freshDir("ws")
    mkdirSync(ws)
    await run(addRemote(ws, "lab", { url: `s3://${s3.bucket}/svc`, endpoint: s3.endpoint }))
    const name = await run(Effect.map(Remote, (r) => `${r.name} ${r.url}`).pipe(Effect.provide(remoteLayer(ws, "lab"))))
    expect(name).toBe(`lab s3://${s3.bucket}/svc`)
    const e = await failureOf(Effect.map(Remote, (r) => r.name).pipe(Effect.provide(remoteLayer(ws, "nope"))))
    expect(e._tag).toBe("RemoteUnknown")
  })
})

describe("s3 listings", () => {
  it("follow ListObjectsV2 continuation tokens across pages", async () => {
    const identity = { remote: "paged", url: `s3://${s3.bucket}/paged` }
    const paged = verifiedRemote(s3BlobStore(identity, { bucket: s3.bucket, prefix: "paged/", endpoint: s3.endpoint, listPageSize: 2 }))
    const a = newStore()
    const keys = [0, 1, 2, 3, 4].map((i) => keyOf(`paged-${i}`))
    keys.forEach((k, i) => commitEntry(a, k, { "out.txt": `paged ${i}` }))
    await run(pushStore(a, paged))
    expect((await run(paged.list("manifests"))).map((l) => l.name).sort()).toEqual([...keys].sort())
    expect(await run(paged.list("objects"))).toHaveLength(5)
  })
})

describe("bad setups fail when the remote is opened, naming it", () => {
  it("s3: wrong credentials are RemoteAccessDenied", async () => {
    const saved = { ...process.env }
    process.env["AWS_ACCESS_KEY_ID"] = "WRONG"
    process.env["AWS_SECRET_ACCESS_KEY"] = "WRONG"
    try {
      const e = await failureOf(openRemoteWith("lab", { url: `s3://${s3.bucket}/x`, endpoint: s3.endpoint }))
      expect(e._tag).toBe("RemoteAccessDenied")
      expect(e.message).toContain(`remote lab (s3://${s3.bucket}/x) denied access`)
    } finally {
      Object.assign(process.env, saved)
    }
  })
  it("s3: an unreachable endpoint is RemoteUnreachable", async () => {
    const e = await failureOf(openRemoteWith("lab", { url: "s3://gan-cache/x", endpoint: "http://127.0.0.1:9" }))
    expect(e._tag).toBe("RemoteUnreachable")
    expect(e.message).toContain("ECONNREFUSED")
  })
  it("s3: a missing bucket is RemoteNotFound naming it", async () => {
    const e = await failureOf(openRemoteWith("lab", { url: "s3://no-such-bucket/x", endpoint: s3.endpoint }))
    expect(e._tag).toBe("RemoteNotFound")
    expect(e.message).toContain("bucket no-such-bucket")
  })
  it("file: a missing folder is RemoteNotFound (never created: it may be an unmounted share)", async () => {
    const missing = join(scratch, "not-mounted")
    const e = await failureOf(openRemoteWith("nfs", { url: `file://${missing}` }))
    expect(e._tag).toBe("RemoteNotFound")
    expect(e.message).toContain(missing)
    expect(existsSync(missing)).toBe(false)
  })
})
