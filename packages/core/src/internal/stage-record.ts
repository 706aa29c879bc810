/** Compute a planned stage's key record from its bindings and its upstreams' manifests. */
import type { Json } from "../canonical-json.ts"
import { fingerprintCode, type CodeFingerprint } from "../code-fingerprint.ts"
import type { InputRecord, KeyRecord } from "../cache-key.ts"
import { InputMissing, type StageFailed } from "../errors.ts"
import type { Effect } from "effect"
import { digestFile, digestFolder } from "../input-digest.ts"
import type { PlannedStage } from "../plan.ts"
import type { FileInput, FolderInput, UpstreamOutput } from "../stage.ts"
import type { Manifest, Store } from "../store.ts"
import type { Workspace } from "../workspace.ts"
import { join } from "node:path"

/** An upstream stage's committed outputs. */
export interface UpstreamResult {
  readonly manifest: Manifest
  /** Where its files are (for a remote hit not downloaded yet: where they will be once `materialize` ran). */
  readonly dir: string
  /**
   * A remote hit not downloaded: makes its files local (downloads them, or recomputes the stage when the download
   * does not verify; then the manifest may differ). Absent when the files are local.
   */
  readonly materialize?: Effect.Effect<UpstreamResult, StageFailed>
}

/** The key record and the inputs a run of the stage would receive. */
export interface StageInputs {
  readonly record: KeyRecord
  readonly resolved: Record<string, UpstreamOutput | FileInput | FolderInput | undefined>
}

/** Memoises code fingerprints per defining module within one run. */
export type CodeFingerprints = Map<string, CodeFingerprint>

/** Build the key record of `stage`. Throws InputMissing when a file or folder input cannot be read. */
export const stageInputs = (
  stage: PlannedStage,
  upstreams: ReadonlyMap<string, UpstreamResult>,
  store: Store,
  ws: Workspace,
  fingerprints: CodeFingerprints,
): StageInputs => {
  const inputs: Record<string, InputRecord> = {}
  const resolved: StageInputs["resolved"] = {}
  for (const [slot, binding] of Object.entries(stage.bindings)) {
    if (binding.kind === "none") {
      inputs[slot] = { kind: "none" }
      resolved[slot] = undefined
    } else if (binding.kind === "upstream") {
      const up = upstreams.get(binding.stage)!
      inputs[slot] = { kind: "upstream", stage: binding.stage, digest: up.manifest.outputDigest }
      resolved[slot] = {
        stage: binding.stage,
        dir: up.dir,
        files: up.manifest.files.map(([p]) => p),
        value: up.manifest.value,
        digest: up.manifest.outputDigest,
        path: (rel: string) => join(up.dir, rel),
      }
    } else {
      try {
        if (binding.kind === "file") {
          const digest = digestFile(binding.path, store.objects.statCache)
          inputs[slot] = { kind: "file", path: binding.display, digest }
          resolved[slot] = { path: binding.path, digest }
        } else {
          const { digest, listing } = digestFolder(binding.path, store.objects.statCache)
          store.history.saveListing(digest, listing)
          inputs[slot] = { kind: "folder", path: binding.display, digest, count: listing.length }
          resolved[slot] = { path: binding.path, digest, files: listing.map(([p]) => p) }
        }
      } catch (e) {
        throw new InputMissing({ stage: stage.name, input: slot, path: binding.display, reason: `cannot be read: ${(e as Error).message}` })
      }
    }
  }
  let code = fingerprints.get(stage.definition.module)
  if (code === undefined) {
    code = fingerprintCode(stage.definition.module, ws, store.objects.statCache)
    fingerprints.set(stage.definition.module, code)
  }
  const record: KeyRecord = {
    stage: stage.definition.name,
    version: stage.definition.version,
    code,
    params: stage.params as Json,
    inputs,
  }
  return { record, resolved }
}
