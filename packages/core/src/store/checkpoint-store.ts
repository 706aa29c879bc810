/**
 * The checkpoints of long stages: `checkpoints/<ckey>/step-N.json` (sealed manifests) and `step-N/` (read-only
 * views), their files in the object store. Keyed by the stage's key without the params it lists in `resumeOmits`.
 */
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import type { Json } from "../canonical-json.ts"
import type { Checkpoint, Checkpoints } from "../checkpoints.ts"
import { withWriteCause } from "../internal/write-cause.ts"
import { listFiles, removeTree, sealOf, sealProblemOf, writeReadOnly } from "../internal/store-files.ts"
import type { LocalObjectStore } from "./object-store.ts"
import { outputDigestOf, type CheckpointManifest, type CheckpointStoreApi, type StoredFile } from "./store-types.ts"

/** Fields of a checkpoint manifest; one without `seal` and with only these was written before seals. */
const checkpointManifestFields = ["step", "files", "meta", "digest"]

/** Checkpoints in a local store folder, their files in `objects`. */
export class LocalCheckpointStore implements CheckpointStoreApi {
  constructor(readonly root: string, private readonly objects: LocalObjectStore) {
    // an object found corrupt takes every checkpoint listing it along (their views link the damaged inode)
    objects.onObjectDropped((digest) => {
      const lists = (files: ReadonlyArray<StoredFile>) => files.some(([, d]) => d === digest)
      for (const ckey of listFiles(join(this.root, "checkpoints"))) {
        const base = this.checkpointDir(ckey)
        for (const name of listFiles(base).filter((n) => /^step-\d+\.json$/.test(n))) {
          const read = this.readCheckpointManifest(join(base, name))
          if (!("manifest" in read) || !lists(read.manifest.files)) continue
          rmSync(join(base, name), { force: true })
          removeTree(join(base, name.slice(0, -5)))
        }
      }
    })
  }

  /** Path of the checkpoint folder of `ckey`. */
  checkpointDir(ckey: string): string {
    return join(this.root, "checkpoints", ckey)
  }

  /** Read and check a checkpoint manifest (`step-N.json`): parses, known fields, seal. */
  readCheckpointManifest(path: string): { readonly manifest: CheckpointManifest } | { readonly problem: string } {
    let m: CheckpointManifest
    try {
      m = JSON.parse(readFileSync(path, "utf8")) as CheckpointManifest
    } catch (e) {
      return { problem: `${path} is unreadable (${(e as Error).message})` }
    }
    if (typeof m !== "object" || m === null || !Number.isInteger(m.step) || !Array.isArray(m.files)) return { problem: `${path} is not a checkpoint manifest` }
    const sealProblem = sealProblemOf(m as unknown as Record<string, Json>, checkpointManifestFields)
    if (sealProblem !== undefined) return { problem: `${path} ${sealProblem}` }
    return { manifest: m }
  }

  /** The checkpoints filed under `ckey`; scratch folders are created under `tmp/` and removed by `removeTemp`. */
  checkpoints(ckey: string, scratchDirs: string[]): Checkpoints {
    const base = this.checkpointDir(ckey)
    const drop = (name: string, step: number | undefined, problem: string) => {
      this.objects.warn(`checkpoint ${ckey.slice(0, 12)}${step === undefined ? "" : ` step ${step}`} is corrupt (${problem}); ignoring it`)
      rmSync(join(base, name), { force: true })
      if (step !== undefined) removeTree(join(base, `step-${step}`))
    }
    const read = (fresh: boolean, newestOnly: boolean): Checkpoint[] => {
      const names = listFiles(base)
        .filter((n) => /^step-\d+\.json$/.test(n))
        .sort((a, b) => Number(/\d+/.exec(b)![0]) - Number(/\d+/.exec(a)![0]))
      const out: Checkpoint[] = []
      for (const name of names) {
        const read = this.readCheckpointManifest(join(base, name))
        if ("problem" in read) {
          drop(name, undefined, read.problem)
          continue
        }
        const m = read.manifest
        const problem = this.objects.verifyFiles(m.files, fresh)
        if (problem !== undefined) {
          drop(name, m.step, problem)
          continue
        }
        const dir = join(base, `step-${m.step}`)
        this.objects.ensureView(dir, m.files)
        out.push({ step: m.step, dir, digest: m.digest, files: m.files.map(([p]) => p), meta: m.meta })
        if (newestOnly) break
      }
      return out.sort((a, b) => a.step - b.step)
    }
    return {
      key: ckey,
      list: () => read(false, false),
      // resuming reads the newest checkpoint's bytes from disk; a corrupt one is reported and the next older used
      latest: () => read(true, true).at(-1),
      scratch: () => {
        const dir = this.objects.makeTemp("checkpoint")
        scratchDirs.push(dir)
        return dir
      },
      save: (step, fromDir, meta = null) => withWriteCause(() => {
        const files = this.objects.ingest(fromDir)
        const digest = outputDigestOf(files, meta)
        const dir = join(base, `step-${step}`)
        const view = this.objects.makeTemp("view")
        this.objects.linkView(view, files)
        removeTree(dir)
        this.objects.placeDir(view, dir)
        const manifest = JSON.parse(JSON.stringify({ step, files, meta, digest })) as CheckpointManifest
        writeReadOnly(join(base, `step-${step}.json`), JSON.stringify({ ...manifest, seal: sealOf(manifest) }))
        return { step, dir, digest, files: files.map(([p]) => p), meta }
      }),
    }
  }
}
