/**
 * What a recipe training stage adds to a run for `liveMetrics` and `earlyStopping`: the evaluator (from the
 * {@link LiveMetrics} service, against the stage's `reference` input) scoring the snapshot network — with its EMA
 * weights when it has them, as its checkpoint snapshot is exported, so the values equal the checkpoint metrics
 * stage's — the early-stopping watcher, and what goes into each checkpoint's meta so that a resumed run continues
 * both exactly (the evaluations so far, and the watcher's state with the config it was made under).
 */
import { canonicalJson, type Checkpoint, type Json, type UpstreamOutput } from "@ganflow/core"
import type * as tfl from "@tensorflow/tfjs-layers"
import * as tf from "@tensorflow/tfjs-core"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { EarlyStopping, type EarlyStop, type EarlyStoppingState } from "../early-stopping.ts"
import { TrainConfigInvalid } from "../errors.ts"
import type { GeneratorDescription } from "../generator-description.ts"
import { LIVE_METRICS_FILE, type LiveMetricEvaluator, type LiveMetrics, type LiveMetricsRow } from "../live-metrics.ts"
import type { Networks } from "../recipe.ts"
import type { TrainingRunSettings } from "../train-recipe.ts"
import { Effect, type Option } from "effect"

/** What a checkpoint's meta holds besides its step. */
interface LiveCheckpointMeta {
  readonly live?: ReadonlyArray<LiveMetricsRow>
  readonly earlyStopping?: { readonly config: Json; readonly state: EarlyStoppingState } | null
}

/** The hooks of one run (see the module comment). Call `dispose` when training ends. */
export interface LiveTrainingHooks<N extends Networks> {
  readonly evaluate?: { readonly every: number; readonly run: (view: { readonly networks: N; readonly ema: ReadonlyMap<string, readonly tf.Tensor[]> }, step: number) => Promise<Readonly<Record<string, number>>> }
  readonly earlyStopping?: EarlyStopping
  /** The meta to save with the checkpoint of `step`. */
  readonly checkpointMeta: (step: number) => Json
  /** Every evaluation of the run, resumed ones included. */
  readonly rows: () => ReadonlyArray<LiveMetricsRow>
  /** Writes `live-metrics.json` (when the run has live metrics). */
  readonly write: (outDir: string) => void
  readonly dispose: () => void
}

/**
 * The hooks for a run with `settings`, scoring network `network` (described by `description`), resuming from
 * `resume`. Fails with {@link TrainConfigInvalid} when live metrics are asked for without a `reference` input or
 * without the service.
 */
export const liveTrainingHooks = async <N extends Networks>(options: {
  readonly settings: TrainingRunSettings
  readonly stage: string
  readonly reference: UpstreamOutput<unknown> | undefined
  readonly service: Option.Option<LiveMetrics["Type"]>
  readonly network: string
  readonly description: () => GeneratorDescription
  readonly resume: Checkpoint | undefined
}): Promise<LiveTrainingHooks<N>> => {
  const { settings } = options
  const meta = (options.resume?.meta ?? {}) as LiveCheckpointMeta
  const rows: LiveMetricsRow[] = [...(meta.live ?? [])].filter((r) => r.step <= (options.resume?.step ?? 0))
  const earlyConfig = settings.earlyStopping
  // a watcher's saved state counts only under the config it was made with
  const saved = meta.earlyStopping ?? null
  const earlyStopping =
    earlyConfig === undefined ? undefined : new EarlyStopping(earlyConfig, saved !== null && canonicalJson(saved.config) === canonicalJson(earlyConfig) ? saved.state : undefined)
  let evaluator: LiveMetricEvaluator | undefined
  const config = settings.liveMetrics
  if (config !== undefined) {
    if (options.reference === undefined) throw new TrainConfigInvalid({ reason: `${options.stage}.liveMetrics needs the stage's reference input bound to a reference statistics stage` })
    if (options.service._tag === "None") throw new TrainConfigInvalid({ reason: `${options.stage}.liveMetrics needs the LiveMetrics service (layerLiveMetrics of @ganflow/metrics/live; the ganflow command provides it)` })
    evaluator = await Effect.runPromise(options.service.value.open(options.reference, options.description(), config))
  }
  const scoreWith = async (network: tfl.LayersModel, ema: readonly tf.Tensor[] | undefined, step: number) => {
    if (ema === undefined) return evaluator!.evaluate(network, step)
    // scored with the EMA weights, as the checkpoint's snapshot is exported; the training weights are put back
    const training = network.weights.map((w) => w.read().clone())
    try {
      network.setWeights([...ema])
      return await evaluator!.evaluate(network, step)
    } finally {
      network.setWeights(training)
      tf.dispose(training)
    }
  }
  return {
    ...(config === undefined || evaluator === undefined
      ? {}
      : {
          evaluate: {
            every: config.every,
            run: async (view, step) => {
              const values = await scoreWith((view.networks as Networks)[options.network]!, view.ema.get(options.network), step)
              rows.push({ step, settings: evaluator!.settings, values })
              return values
            },
          },
        }),
    ...(earlyStopping === undefined ? {} : { earlyStopping }),
    checkpointMeta: (step) =>
      JSON.parse(
        JSON.stringify({
          step,
          ...(config === undefined ? {} : { live: rows.filter((r) => r.step <= step) }),
          ...(earlyStopping === undefined ? {} : { earlyStopping: { config: earlyConfig, state: earlyStopping.state() } }),
        }),
      ) as Json,
    rows: () => rows,
    write: (outDir) => {
      if (config !== undefined) writeFileSync(join(outDir, LIVE_METRICS_FILE), JSON.stringify(rows, null, 1))
    },
    dispose: () => evaluator?.dispose(),
  }
}

/** The progress line's live part: `fid 12.31`. */
export const formatLiveMetrics = (metrics: Readonly<Record<string, number>> | undefined): string =>
  Object.entries(metrics ?? {})
    .filter(([name]) => !/-std\b/.test(name))
    .map(([name, value]) => `${name.split("@")[0]} ${Number(value.toPrecision(4))}`)
    .join("  ")

/** What the stage records of a stop. */
export type StoppedEarly = EarlyStop | null
