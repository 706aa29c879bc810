/**
 * Stage `train-gan`: an upstream uint8 dataset (`dataset.gfds`, from `@ganflow/data`'s stages) -> a trained
 * generator in TF.js layers format (`generator/model.json` + `weights.bin`, EMA weights when enabled), the per-step
 * log `steps.jsonl`, TensorBoard events under `tensorboard/` and sample grids under `samples/`, plus the generator
 * of every checkpoint up to `steps` (`checkpoints/step-000200/model.json`, …, indexed by `checkpoints.json`) so that
 * metric and render stages can follow training without touching the trainer.
 * Checkpoints go to the store as the run goes; `steps` is left out of their key, so a killed run resumes from its
 * last checkpoint and raising `steps` continues training.
 */
import { isTrainerError } from "../errors.ts"
import { join } from "node:path"
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageCheckpoints, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { normalizeUint8, readUInt8Dataset } from "@ganflow/data"
import type { DatasetStageValue } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import { Effect } from "effect"
import { exportCheckpointGenerators, GENERATOR_SNAPSHOTS_FILE } from "../checkpoint-generator.ts"
import { exportGenerator } from "../export-generator.ts"
import { describeGanModels, type GeneratorDescription } from "../generator-description.ts"
import { TrainConfig } from "../train-config.ts"
import { train } from "../train.ts"

/** What the stage returns (kept in its manifest). */
export interface TrainGanResult {
  readonly step: number
  /** The checkpoint step this run continued from (0: from scratch). */
  readonly resumedFrom: number
  readonly losses: { readonly discriminator: number; readonly generator: number } | null
  /** What a consumer of the exported generators needs to sample them (also written as `generator/gan.json`). */
  readonly generator: GeneratorDescription
  /** Steps of the generator snapshots under `checkpoints/`. */
  readonly checkpoints: readonly number[]
}

/** Trains a GAN on an upstream dataset; params are the trainer's `TrainConfig`. */
export const trainGan = defineStage({
  name: "train-gan",
  resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
  version: 2,
  description: "adversarial training with checkpoints; exports the generator as a TF.js layers model",
  params: TrainConfig,
  inputs: { dataset: upstream<DatasetStageValue>() },
  outputs: ["generator/model.json", "generator/weights.bin", "generator/gan.json", "steps.jsonl", GENERATOR_SNAPSHOTS_FILE],
  resumeOmits: ["steps"],
  run: (ctx) =>
    Effect.gen(function* () {
      const events = yield* StageEvents
      const checkpoints = yield* StageCheckpoints
      events.env({ backend: yield* startedBackend })
      return yield* tryAsync(async (): Promise<TrainGanResult> => {
        const ds = readUInt8Dataset(ctx.inputs.dataset.path("dataset.gfds"))
        // voxel datasets hold occupancy as 0/1 bytes (the 3D-GAN's sigmoid range as is); images hold 0..255 -> [-1, 1]
        const scale = ds.kind === "voxels" ? "raw" : "tanh"
        const shape = ds.kind === "voxels" ? [...ds.shape, 1] : [...ds.shape]
        const images = tf.tensor(normalizeUint8(ds.data, scale), shape, "float32")
        const labels = ds.labels ? tf.tensor1d(Int32Array.from(ds.labels), "int32") : undefined
        // continue from the newest checkpoint that does not overshoot the step budget
        const resume = [...checkpoints.list()].filter((c) => c.step <= ctx.params.steps).at(-1)
        if (resume) events.log(`resuming from the checkpoint at step ${resume.step}`)
        try {
          const trained = await train({
            config: ctx.params,
            data: labels ? { images, labels } : { images },
            checkpointDir: checkpoints.scratch(),
            ...(resume ? { resumeFrom: resume.dir } : {}),
            onCheckpoint: ({ step, dir }) => void checkpoints.save(step, dir, { step }),
            // the reporter shows the step, rate and ETA itself; the message adds the losses
            onProgress: (p) => events.progress({ step: p.step, total: p.totalSteps, message: `D ${p.losses.discriminator.toFixed(3)}  G ${p.losses.generator.toFixed(3)}` }),
            logDir: ctx.outDir,
          })
          try {
            const generator = describeGanModels(trained.models, ctx.params.model.architecture)
            await exportGenerator(trained.models.generator, join(ctx.outDir, "generator"), generator, trained.generatorEma)
            // every checkpoint of this key, earlier runs' included (a resumed or extended run keeps its history)
            const history = checkpoints.list().filter((c) => c.step <= trained.step)
            const snapshots = await exportCheckpointGenerators(trained.models.generator, generator, history, ctx.outDir)
            if (trained.losses) {
              events.metric("loss_discriminator", trained.losses.discriminator, trained.step)
              events.metric("loss_generator", trained.losses.generator, trained.step)
            }
            const losses = trained.losses ? { discriminator: trained.losses.discriminator, generator: trained.losses.generator } : null
            return { step: trained.step, resumedFrom: resume?.step ?? 0, losses, generator, checkpoints: snapshots.map((c) => c.step) }
          } finally {
            trained.dispose()
          }
        } finally {
          tf.dispose([images, ...(labels ? [labels] : [])])
        }
      }, isTrainerError)
    }),
})
