/**
 * The generators a `train-gan` stage leaves in its output — the final one (`generator/`) and, when the trainer
 * wrote them, one per checkpoint (`checkpoints.json` + `checkpoints/<id>/`) — and how to draw occupancy volumes
 * from one with a fixed, seeded latent batch (the same latents for every generator, so pictures and numbers are
 * comparable across checkpoints).
 */
import type { TrainGanResult } from "@ganflow/trainers/stages"
import type { UpstreamOutput } from "@ganflow/core"
import {
  disposeGeneratorInputs,
  FINAL_GENERATOR,
  generate,
  generatorDir,
  generatorInputs,
  loadGeneratorFrom,
  readGeneratorDescription,
  readGeneratorSnapshots,
} from "@ganflow/trainers"

/** One generator in a training output. */
export interface GeneratorRef {
  /** `final`, or the checkpoint's id (`step-000200`). */
  readonly id: string
  /** Generator steps done when it was saved (the final one's from the stage's value when it says). */
  readonly step: number
  /** Absolute folder holding `model.json` + `weights.bin`. */
  readonly dir: string
}

/**
 * The generators of a training output: checkpoints oldest first (none when `checkpoints.json` is absent), then the
 * final one. A checkpoint taken at the final step is the final generator and is left out.
 */
export const generatorsOf = (training: UpstreamOutput<TrainGanResult>): { readonly checkpoints: readonly GeneratorRef[]; readonly final: GeneratorRef } => {
  const final = { id: FINAL_GENERATOR, step: training.value.step, dir: generatorDir(training, FINAL_GENERATOR) }
  const checkpoints = readGeneratorSnapshots(training.dir)
    .filter((e) => final.step === 0 || e.step !== final.step)
    .toSorted((a, b) => a.step - b.step)
    .map((e) => ({ id: e.id, step: e.step, dir: generatorDir(training, e.id) }))
  return { checkpoints, final }
}

/** `count` occupancy volumes drawn by one generator, row-major [count, n, n, n] in data axes (x, y up, z), values in [0, 1]. */
export interface GeneratedVolumes {
  readonly count: number
  /** Grid edge. */
  readonly size: number
  readonly values: Float32Array
}

/**
 * Loads the generator in `dir` and runs it on `count` standard-normal latents drawn from `seed` (the trainer's own
 * sampler, as for image grids and metrics), `batchSize` at a time. What it makes is read from the trainer's
 * description beside it (`gan.json`). Rejects when either cannot be read or the generator does not make
 * [n, n, n, 1] occupancies.
 */
export const generateVolumes = async (dir: string, options: { readonly count: number; readonly seed: number; readonly batchSize: number }): Promise<GeneratedVolumes> => {
  const description = readGeneratorDescription(dir)
  const [n, h, w, channels] = description.sampleShape
  if (description.outputRange !== "sigmoid" || description.sampleShape.length !== 4 || h !== n || w !== n || channels !== 1) {
    throw new Error(`${dir}: the generator makes [${description.sampleShape.join(", ")}] ${description.outputRange} samples, expected [n, n, n, 1] occupancies (sigmoid)`)
  }
  const model = await loadGeneratorFrom(dir)
  const inputs = generatorInputs(description, options.count, options.seed)
  try {
    const size = n!
    const values = new Float32Array(options.count * size ** 3)
    for (let start = 0; start < options.count; start += options.batchSize) {
      const volumes = generate(model, inputs, start, Math.min(options.batchSize, options.count - start))
      try {
        values.set((await volumes.data()) as Float32Array, start * size ** 3) // async: no stalled GPU queue
      } finally {
        volumes.dispose()
      }
    }
    return { count: options.count, size, values }
  } finally {
    disposeGeneratorInputs(inputs)
    model.dispose()
  }
}
