/**
 * The training stage of any recipe (`recipe.ts`), so that a new model family is a recipe file plus a few lines:
 * `defineRecipeTrainingStage({ name, module: import.meta.url, recipe, params, inputs, loadData, exports })`.
 *
 * The stage loads its training data from its inputs, trains with `trainRecipe` — checkpoints go to the store as the
 * run goes, `steps` is left out of their key, so a killed run resumes from its last checkpoint and raising `steps`
 * continues training — and exports the networks named in `exports` as TF.js layers models `<network>/model.json`
 * (+ `weights.bin`, and `gan.json` from `describe`; EMA weights where the recipe keeps an EMA), with the per-step log
 * `steps.jsonl`, TensorBoard events under `tensorboard/` and sample grids under `samples/`. Networks exported with
 * `snapshots: true` are also exported at every checkpoint (`checkpoints/<id>/` for `generator`,
 * `checkpoints/<id>/<network>/` for others, indexed by `checkpoints.json`) so metric and render stages can follow
 * training without touching the trainer.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, type InputSlot, type ParamsSchema, StageCheckpoints, type StageContext, type StageDefinition, StageEvents, tryAsync, type UpstreamOutput } from "@ganflow/core"
import type { TensorBackend } from "@ganflow/backend"
import * as tf from "@tensorflow/tfjs-core"
import { join } from "node:path"
import { Effect } from "effect"
import { exportCheckpointGenerators, GENERATOR_SNAPSHOTS_FILE, type GeneratorSnapshot } from "../checkpoint-generator.ts"
import { type DataError, isDataError } from "@ganflow/data"
import { type TrainerError, isTrainerError } from "../errors.ts"
import { exportGenerator } from "../export-generator.ts"
import type { NetworkDescription } from "../generator-description.ts"
import type { Networks, Recipe } from "../recipe.ts"
import { type TrainedRecipe, type TrainingRunSettings, trainRecipe } from "../train-recipe.ts"
import { formatLosses } from "../training-progress.ts"
import type { GeneratorDescription } from "../generator-description.ts"
import { LiveMetrics } from "../live-metrics.ts"
import { formatLiveMetrics, liveTrainingHooks, type StoppedEarly } from "./live-training-hooks.ts"
import type { TrainingData } from "../training-set.ts"

/** What every recipe training stage returns (kept in its manifest); `extra` adds the recipe's own fields. */
export interface RecipeTrainingResult {
  readonly step: number
  /** The checkpoint step this run continued from (0: from scratch). */
  readonly resumedFrom: number
  /** The last step's losses: phase totals and `<phase>/<term>`. */
  readonly losses: Readonly<Record<string, number>> | null
  /** The description of each exported network (also its `gan.json`). */
  readonly networks: Readonly<Record<string, NetworkDescription>>
  /** Steps of the snapshots under `checkpoints/`. */
  readonly checkpoints: readonly number[]
  /** Why training stopped before `steps` (early stopping), or null. */
  readonly stoppedEarly: StoppedEarly
}

/** How one network is exported. */
export interface NetworkExport<N extends Networks> {
  /** Its `gan.json`: what a consumer needs to feed it (default: the recipe's `descriptions`). */
  readonly describe?: (networks: N) => NetworkDescription
  /** Export it at every checkpoint too. */
  readonly snapshots?: boolean
}

/** The options of {@link defineRecipeTrainingStage}. */
export interface RecipeTrainingStageOptions<P extends TrainingRunSettings, S extends Record<string, InputSlot>, N extends Networks, X extends object, R = void> {
  readonly name: string
  /** The module defining the stage (`import.meta.url`): its code, the recipe's included, is part of the cache key. */
  readonly module: string
  readonly version?: number
  readonly description: string
  readonly recipe: Recipe<P, N, R>
  /** What the recipe's `create` needs besides its config, loaded from the inputs after the data (recipes with resources). */
  readonly prepare?: (ctx: StageContext<P, S>) => R | Promise<R>
  /** The recipe's config schema (the run settings merged in: `TrainingRunSettings.merge({ … })`). */
  readonly params: ParamsSchema<P>
  readonly inputs: S
  /** The training data from the inputs, as tensors the stage frees after training. */
  readonly loadData: (ctx: StageContext<P, S>) => TrainingData | Promise<TrainingData>
  readonly exports: { readonly [K in keyof N]?: NetworkExport<N> }
  /** Fields the stage adds to its value from the trained networks (runs before they are freed). */
  readonly extra?: (trained: TrainedRecipe<N>, descriptions: Readonly<Record<string, NetworkDescription>>, ctx: StageContext<P, S>) => X | Promise<X>
  /** Output files besides those the exports make. */
  readonly outputs?: readonly string[]
}

/** Defines the training stage of a recipe (see the module comment). */
export const defineRecipeTrainingStage = <P extends TrainingRunSettings, S extends Record<string, InputSlot>, N extends Networks, X extends object = {}, R = void>(
  options: RecipeTrainingStageOptions<P, S, N, X, R>,
): StageDefinition<P, S, RecipeTrainingResult & X, TrainerError | DataError, StageEvents | StageCheckpoints | TensorBackend> => {
  const exported = Object.entries(options.exports) as [string, NetworkExport<N>][]
  return defineStage({
    name: options.name,
    module: options.module,
    version: options.version ?? 1,
    description: options.description,
    resources: { gpu: 1 }, // tensor maths: shares `--gpus` when the backend is a GPU
    params: options.params,
    inputs: options.inputs,
    outputs: [...exported.flatMap(([name]) => [`${name}/model.json`, `${name}/weights.bin`, `${name}/gan.json`]), "steps.jsonl", ...(exported.some(([, e]) => e.snapshots) ? [GENERATOR_SNAPSHOTS_FILE] : []), ...(options.outputs ?? [])],
    resumeOmits: ["steps"],
    run: (ctx: StageContext<P, S>) =>
      Effect.gen(function* () {
        const events = yield* StageEvents
        const checkpoints = yield* StageCheckpoints
        events.env({ backend: yield* startedBackend })
        const liveService = yield* Effect.serviceOption(LiveMetrics)
        return yield* tryAsync(async (): Promise<RecipeTrainingResult & X> => {
          const data = await options.loadData(ctx)
          try {
            // continue from the newest checkpoint that does not overshoot the step budget
            const resume = [...checkpoints.list()].filter((c) => c.step <= ctx.params.steps).at(-1)
            if (resume) events.log(`resuming from the checkpoint at step ${resume.step}`)
            const resources = (options.prepare ? await options.prepare(ctx) : undefined) as R
            const recipe = options.recipe.create(ctx.params, ctx.params.seed, resources)
            // live metrics score the network exported with snapshots (the generator), against the `reference` input
            const scored = exported.find(([, how]) => how.snapshots)?.[0] ?? "generator"
            const hooks = await liveTrainingHooks<N>({
              settings: ctx.params,
              stage: ctx.stage,
              reference: (ctx.inputs as Record<string, UpstreamOutput<unknown> | undefined>)["reference"],
              service: liveService,
              network: scored,
              description: () => (recipe.descriptions?.[scored]?.() ?? {}) as GeneratorDescription,
              resume,
            })
            const trained = await trainRecipe({
              recipe,
              settings: ctx.params,
              data,
              checkpointDir: checkpoints.scratch(),
              ...(resume ? { resumeFrom: resume.dir } : {}),
              onCheckpoint: ({ step, dir }) => void checkpoints.save(step, dir, hooks.checkpointMeta(step)),
              // the reporter shows the step, rate and ETA itself; the message adds the losses and live metrics
              onProgress: (p) => events.progress({ step: p.step, total: p.totalSteps, message: [formatLosses(p.losses), formatLiveMetrics(p.metrics)].filter((m) => m !== "").join("  ") }),
              logDir: ctx.outDir,
              ...(hooks.evaluate === undefined ? {} : { evaluate: hooks.evaluate }),
              ...(hooks.earlyStopping === undefined ? {} : { earlyStopping: hooks.earlyStopping }),
            }).finally(() => hooks.dispose())
            try {
              for (const row of hooks.rows()) for (const [name, value] of Object.entries(row.values)) events.metric(name, value, row.step)
              hooks.write(ctx.outDir)
              if (trained.stoppedEarly !== undefined) {
                events.log(`stopped early at step ${trained.stoppedEarly.step} (${trained.stoppedEarly.reason}): ${trained.stoppedEarly.message}`)
                events.metric("stopped_early_step", trained.stoppedEarly.step)
              }
              const networks: Record<string, NetworkDescription> = {}
              let snapshots: readonly GeneratorSnapshot[] = []
              // every checkpoint of this key, earlier runs' included (a resumed or extended run keeps its history)
              const history = checkpoints.list().filter((c) => c.step <= trained.step)
              for (const [name, how] of exported) {
                const network = trained.networks[name]!
                const description = how.describe?.(trained.networks) ?? recipe.descriptions?.[name]?.() ?? {}
                networks[name] = description
                await exportGenerator(network, join(ctx.outDir, name), description, trained.ema[name])
                if (how.snapshots) snapshots = await exportCheckpointGenerators(network, description, history, ctx.outDir, name)
              }
              for (const [name, value] of Object.entries(trained.losses ?? {})) if (!name.includes("/")) events.metric(`loss_${name}`, value, trained.step)
              const extra = options.extra ? await options.extra(trained, networks, ctx) : ({} as X)
              return { step: trained.step, resumedFrom: resume?.step ?? 0, losses: trained.losses ?? null, networks, checkpoints: snapshots.map((c) => c.step), stoppedEarly: trained.stoppedEarly ?? null, ...extra }
            } finally {
              trained.dispose()
            }
          } finally {
            tf.dispose(Object.values(data))
          }
        }, (e): e is TrainerError | DataError => isTrainerError(e) || isDataError(e)) // a bad data file is the user's error, named, not a crash
      }),
  }) as StageDefinition<P, S, RecipeTrainingResult & X, TrainerError | DataError, StageEvents | StageCheckpoints | TensorBackend>
}
