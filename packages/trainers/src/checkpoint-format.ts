import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import type { SeededRandomState } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import { CheckpointInvalid } from "./errors.ts"
import { allWeightsOf, type GanPlayers } from "./gan-players.ts"
import type { Networks } from "./recipe.ts"
import type { DataCursor } from "./training-set.ts"

/**
 * A training checkpoint is a folder of two files:
 *
 * - `checkpoint.json` — `{ format: "ganflow-checkpoint", version: 2, step, dataCursor: { epoch, position },
 *   dataCursors?: [...] (the unpaired streams', see `training-set.ts`), random: [4 x uint32] (the sfc32 state of the
 *   latent/noise generator), optimizers: { <network>: { step } }, counters: { <name>: n } (the recipe's own state),
 *   losses, tensors: [{ group, index, name, shape, dtype: "float32", offset, length }] }` (offsets and lengths in bytes
 *   into `tensors.bin`);
 * - `tensors.bin` — every tensor's float32 values, little-endian, back to back.
 *
 * Groups, each a list in a fixed order: one per network by its name (all of `model.weights`, batch-norm moving
 * statistics and spectral-norm vectors included), `<network>-ema`, the optimisers' state `<kind>-<network>-<group>`
 * (`adam-generator-m`, `adam-generator-v`, …) and the recipe's own groups (`history-generator`, …).
 * The folder is written under a temporary name and renamed into place, and `checkpoint.json` is written last, so a
 * killed process never leaves a folder that looks complete. Version 1 (the GAN-only trainer's) is read too.
 */
export interface CheckpointManifest {
  readonly format: "ganflow-checkpoint"
  readonly version: 2
  /** Training steps done when it was taken. */
  readonly step: number
  readonly dataCursor: DataCursor
  /** Cursors of the unpaired streams, in the recipe's order. */
  readonly dataCursors?: readonly DataCursor[]
  readonly random: SeededRandomState
  /** Updates applied by each network's optimiser. */
  readonly optimizers: Readonly<Record<string, { readonly step: number }>>
  /** The recipe's counters (e.g. `history-generator`: snapshots averaged). */
  readonly counters: Readonly<Record<string, number>>
  readonly losses?: Readonly<Record<string, number>>
  readonly tensors: readonly TensorEntry[]
}

/** Where one tensor lies in `tensors.bin`. */
export interface TensorEntry {
  readonly group: string
  readonly index: number
  readonly name: string
  readonly shape: readonly number[]
  readonly dtype: "float32"
  readonly offset: number
  readonly length: number
}

/** The non-tensor state saved with a checkpoint. */
export interface CheckpointState {
  readonly step: number
  /** Every stream's cursor, paired first. */
  readonly dataCursors: readonly DataCursor[]
  readonly random: SeededRandomState
  readonly losses?: Readonly<Record<string, number>>
}

/** The variables of each group, in the order they are saved and restored. */
const groupsOf = <N extends Networks>(players: GanPlayers<N>): [string, readonly tf.Variable[]][] => {
  const groups: [string, readonly tf.Variable[]][] = Object.entries(players.networks as Networks).map(([name, network]) => [name, allWeightsOf(network)])
  for (const [name, { optimizer }] of players.learning)
    for (const [group, variables] of Object.entries(optimizer.stateGroups())) groups.push([`${optimizer.kind}-${name}-${group}`, variables])
  for (const [name, average] of players.ema) groups.push([`${name}-ema`, average.averages])
  for (const [group, variables] of Object.entries(players.recipe.state?.groups() ?? {})) groups.push([group, variables])
  return groups
}

/** Writes the players and `state` as a checkpoint folder `dir` (replacing one there). Returns `dir`. */
export const saveCheckpoint = async <N extends Networks>(dir: string, players: GanPlayers<N>, state: CheckpointState): Promise<string> => {
  const tensors: TensorEntry[] = []
  const chunks: Uint8Array[] = []
  let offset = 0
  for (const [group, variables] of groupsOf(players)) {
    for (const [index, v] of variables.entries()) {
      const data = (await v.data()) as Float32Array
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      chunks.push(bytes)
      tensors.push({ group, index, name: v.name, shape: v.shape, dtype: "float32", offset, length: bytes.byteLength })
      offset += bytes.byteLength
    }
  }
  const [dataCursor, ...dataCursors] = state.dataCursors
  const manifest: CheckpointManifest = {
    format: "ganflow-checkpoint",
    version: 2,
    step: state.step,
    dataCursor: dataCursor!,
    ...(dataCursors.length > 0 ? { dataCursors } : {}),
    random: state.random,
    optimizers: Object.fromEntries([...players.learning].map(([name, { optimizer }]) => [name, { step: optimizer.step }])),
    counters: players.recipe.state?.counters() ?? {},
    ...(state.losses ? { losses: state.losses } : {}),
    tensors,
  }
  const tmp = join(dirname(dir), `.tmp-${process.pid}-${Date.now()}-${state.step}`)
  mkdirSync(tmp, { recursive: true })
  writeFileSync(join(tmp, "tensors.bin"), Buffer.concat(chunks))
  writeFileSync(join(tmp, "checkpoint.json"), JSON.stringify(manifest, null, 1))
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
  renameSync(tmp, dir)
  return dir
}

/** Version 1's manifest (G and D only): historical averaging's counts in `historySnapshots`. */
interface CheckpointManifestV1 extends Omit<CheckpointManifest, "version" | "counters"> {
  readonly version: 1
  readonly historySnapshots?: { readonly generator: number; readonly discriminator: number }
}

/** Reads and checks a checkpoint's manifest (version 1 is upgraded); fails with {@link CheckpointInvalid}. */
export const readCheckpointManifest = (dir: string): CheckpointManifest => {
  const file = join(dir, "checkpoint.json")
  if (!existsSync(file)) throw new CheckpointInvalid({ dir, reason: "no checkpoint.json" })
  let manifest: CheckpointManifest | CheckpointManifestV1
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as CheckpointManifest | CheckpointManifestV1
  } catch (e) {
    throw new CheckpointInvalid({ dir, reason: `checkpoint.json is not JSON: ${(e as Error).message}` })
  }
  if (manifest.format !== "ganflow-checkpoint" || (manifest.version !== 1 && manifest.version !== 2))
    throw new CheckpointInvalid({ dir, reason: `format ${String(manifest.format)} v${String(manifest.version)}, expected ganflow-checkpoint v1 or v2` })
  if (manifest.version === 1) {
    const { historySnapshots, ...rest } = manifest
    const counters: Record<string, number> = historySnapshots ? { "history-generator": historySnapshots.generator, "history-discriminator": historySnapshots.discriminator } : {}
    return { ...rest, version: 2, counters }
  }
  return manifest
}

/**
 * Restores players from checkpoint folder `dir` and returns its state. Every group the players have must be
 * present with the same count and shapes; fails with {@link CheckpointInvalid} naming the first mismatch.
 */
export const loadCheckpoint = <N extends Networks>(dir: string, players: GanPlayers<N>): CheckpointState => {
  const manifest = readCheckpointManifest(dir)
  const binFile = join(dir, "tensors.bin")
  if (!existsSync(binFile)) throw new CheckpointInvalid({ dir, reason: "no tensors.bin" })
  const bin = readFileSync(binFile)
  const byGroup = new Map<string, TensorEntry[]>()
  for (const t of manifest.tensors) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t])
  for (const [group, variables] of groupsOf(players)) {
    const entries = byGroup.get(group) ?? []
    if (entries.length !== variables.length) throw new CheckpointInvalid({ dir, reason: `group ${group} has ${entries.length} tensors, the models need ${variables.length}` })
    variables.forEach((v, i) => {
      const e = entries[i]!
      if (!tf.util.arraysEqual([...e.shape], v.shape)) throw new CheckpointInvalid({ dir, reason: `${group}[${i}] (${e.name}) has shape [${e.shape}], the model needs [${v.shape}]` })
      if (e.offset + e.length > bin.byteLength) throw new CheckpointInvalid({ dir, reason: `${group}[${i}] lies past the end of tensors.bin` })
      const values = new Float32Array(bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + e.length))
      tf.tidy(() => v.assign(tf.tensor(values, v.shape, "float32")))
    })
  }
  for (const [name, { optimizer }] of players.learning) {
    const saved = manifest.optimizers[name]
    if (!saved) throw new CheckpointInvalid({ dir, reason: `no optimizer state for ${name}` })
    optimizer.restoreStep(saved.step)
  }
  players.recipe.state?.restoreCounters(manifest.counters)
  return {
    step: manifest.step,
    dataCursors: [manifest.dataCursor, ...(manifest.dataCursors ?? [])],
    random: manifest.random,
    ...(manifest.losses ? { losses: manifest.losses } : {}),
  }
}
