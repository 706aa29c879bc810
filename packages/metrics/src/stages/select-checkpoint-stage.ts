/**
 * Stage `select-checkpoint`: picks one generator snapshot of a training stage by a rule over a checkpoint metrics
 * stage's per-checkpoint values (`min fid`, `max is`) or `last`, and writes the choice to `selected.json`. Samples and
 * web-demo stages bound to it (`checkpoint: best`) draw that snapshot instead of the final generator. The choice and
 * its value are recorded as metrics (`selected_step`, and the metric under its own key), so run records, `ganflow
 * diff` and sweep tables show them. Changing the rule reruns this stage and its readers only.
 */
import { defineStage, StageEvents, upstream } from "@ganflow/core"
import { GENERATOR_SNAPSHOTS_DIR, readGeneratorSnapshots, type SelectedCheckpoint } from "@ganflow/trainers"
import type { TrainGanResult } from "@ganflow/trainers/stages"
import { type } from "arktype"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { CheckpointSelectionInvalid, selectCheckpoint, SELECTION_RULE_PATTERN } from "../evaluation/checkpoint-selection.ts"
import { CHECKPOINT_METRICS_FILE, type CheckpointMetricsRow, type CheckpointMetricsValue } from "./checkpoint-metrics-stage.ts"

/** Params of {@link selectCheckpointStage}. */
export const selectCheckpointParams = type({
  "+": "reject",
  /** `min <metric>` (FID, KID), `max <metric>` (IS, precision), or `last`; a metric by name (`fid`) or key (`fid@inception`). */
  rule: type(SELECTION_RULE_PATTERN).describe("last, or min/max and a metric name (min fid, max is)").default("min fid"),
})

/** The file with the choice. */
export const SELECTED_CHECKPOINT_FILE = "selected.json"

/** Selects a training stage's checkpoint by its metrics. */
export const selectCheckpointStage = defineStage({
  name: "select-checkpoint",
  version: 1,
  description: "picks the best checkpoint of a training stage by a checkpoint metric (min fid, max is) or the last",
  params: selectCheckpointParams,
  inputs: { training: upstream<TrainGanResult>(), metrics: upstream<CheckpointMetricsValue>({ optional: true }) },
  outputs: [SELECTED_CHECKPOINT_FILE],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { log, metric } = yield* StageEvents
      const snapshots = readGeneratorSnapshots(inputs.training.dir)
      const rows =
        params.rule === "last"
          ? snapshots.map((s) => ({ checkpoint: s.id, step: s.step, values: {} }))
          : inputs.metrics === undefined
            ? yield* Effect.fail(new CheckpointSelectionInvalid({ rule: params.rule, reason: "bind the metrics input to a checkpoint metrics stage (only `last` needs none)" }))
            : (JSON.parse(readFileSync(inputs.metrics.path(CHECKPOINT_METRICS_FILE), "utf8")) as CheckpointMetricsRow[])
      const choice = selectCheckpoint(params.rule, rows)
      if (choice instanceof CheckpointSelectionInvalid) return yield* Effect.fail(choice)
      if (!snapshots.some((s) => s.id === choice.checkpoint)) {
        return yield* Effect.fail(new CheckpointSelectionInvalid({ rule: params.rule, reason: `checkpoint ${choice.checkpoint} of the metrics is not among ${inputs.training.stage}'s snapshots (${snapshots.map((s) => s.id).join(", ")})` }))
      }
      const selected: SelectedCheckpoint = { ...choice, rule: params.rule, generatorFolder: `${GENERATOR_SNAPSHOTS_DIR}/${choice.checkpoint}` }
      writeFileSync(join(outDir, SELECTED_CHECKPOINT_FILE), JSON.stringify(selected, null, 1))
      metric("selected_step", choice.step)
      if (choice.metric !== null && choice.value !== null) metric(choice.metric, choice.value)
      log(`${params.rule}: ${choice.checkpoint} (step ${choice.step})${choice.metric === null ? "" : `, ${choice.metric} = ${choice.value!.toPrecision(6)}`} of ${rows.length} checkpoints`)
      return selected
    }),
})
