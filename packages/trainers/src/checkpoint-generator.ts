import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { readCheckpointManifest } from "./checkpoint-format.ts"
import { CheckpointInvalid } from "./errors.ts"
import { exportGenerator } from "./export-generator.ts"
import type { NetworkDescription } from "./generator-description.ts"

/** One generator snapshot in a training stage's output: `checkpoints/<id>/model.json` + `weights.bin` + `gan.json`. */
export interface GeneratorSnapshot {
  /** Folder name under `checkpoints/`, e.g. `step-000200`. */
  readonly id: string
  /** Generator steps done when it was taken. */
  readonly step: number
}

/** The index file of a training output's generator snapshots (a JSON array of {@link GeneratorSnapshot}). */
export const GENERATOR_SNAPSHOTS_FILE = "checkpoints.json"
/** The folder holding one sub-folder per snapshot. */
export const GENERATOR_SNAPSHOTS_DIR = "checkpoints"

/** Folder name of the snapshot taken at `step`. */
export const snapshotId = (step: number): string => `step-${String(step).padStart(6, "0")}`

/**
 * The weights of network `network` (default `generator`) saved in training checkpoint `dir` (see
 * `checkpoint-format.ts`): the EMA weights when the checkpoint has them (what sampling should use), else the raw
 * ones, in `model.weights` order. The caller owns the returned tensors. Fails with {@link CheckpointInvalid} when
 * the checkpoint does not fit `generator`.
 */
export const readCheckpointGeneratorWeights = (dir: string, generator: tfl.LayersModel, network = "generator"): tf.Tensor[] => {
  const manifest = readCheckpointManifest(dir)
  const group = manifest.tensors.some((t) => t.group === `${network}-ema`) ? `${network}-ema` : network
  const entries = manifest.tensors.filter((t) => t.group === group).sort((a, b) => a.index - b.index)
  if (entries.length !== generator.weights.length)
    throw new CheckpointInvalid({ dir, reason: `group ${group} has ${entries.length} tensors, the generator has ${generator.weights.length}` })
  const binFile = join(dir, "tensors.bin")
  if (!existsSync(binFile)) throw new CheckpointInvalid({ dir, reason: "no tensors.bin" })
  const bin = readFileSync(binFile)
  return entries.map((e, i) => {
    const shape = generator.weights[i]!.shape as number[]
    if (!tf.util.arraysEqual([...e.shape], shape)) throw new CheckpointInvalid({ dir, reason: `${group}[${i}] (${e.name}) has shape [${e.shape}], the generator needs [${shape}]` })
    if (e.offset + e.length > bin.byteLength) throw new CheckpointInvalid({ dir, reason: `${group}[${i}] lies past the end of tensors.bin` })
    return tf.tensor(new Float32Array(bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + e.length)), [...e.shape], "float32")
  })
}

/** Folder of network `network`'s snapshot `id` under a training output: `checkpoints/<id>/` for `generator`, `checkpoints/<id>/<network>/` for the others. */
export const snapshotDir = (outDir: string, id: string, network = "generator"): string =>
  network === "generator" ? join(outDir, GENERATOR_SNAPSHOTS_DIR, id) : join(outDir, GENERATOR_SNAPSHOTS_DIR, id, network)

/**
 * Exports network `network` (default `generator`) of each training checkpoint as a TF.js layers model under
 * {@link snapshotDir} (EMA weights when present) and writes the index `<outDir>/checkpoints.json`, oldest first.
 * `generator` supplies the architecture; its own weights are left unchanged. Returns the snapshots written.
 */
export const exportCheckpointGenerators = async (
  generator: tfl.LayersModel,
  description: NetworkDescription,
  checkpoints: ReadonlyArray<{ readonly step: number; readonly dir: string }>,
  outDir: string,
  network = "generator",
): Promise<readonly GeneratorSnapshot[]> => {
  const snapshots: GeneratorSnapshot[] = []
  for (const checkpoint of [...checkpoints].sort((a, b) => a.step - b.step)) {
    const weights = readCheckpointGeneratorWeights(checkpoint.dir, generator, network)
    try {
      const id = snapshotId(checkpoint.step)
      await exportGenerator(generator, snapshotDir(outDir, id, network), description, weights)
      snapshots.push({ id, step: checkpoint.step })
    } finally {
      tf.dispose(weights)
    }
  }
  writeFileSync(join(outDir, GENERATOR_SNAPSHOTS_FILE), JSON.stringify(snapshots, null, 1))
  return snapshots
}

/** Reads a training output's snapshot index; an output without one has no snapshots. */
export const readGeneratorSnapshots = (trainingDir: string): readonly GeneratorSnapshot[] => {
  const file = join(trainingDir, GENERATOR_SNAPSHOTS_FILE)
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as GeneratorSnapshot[]) : []
}
