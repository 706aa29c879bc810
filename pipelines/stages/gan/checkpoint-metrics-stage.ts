/**
 * Stage `checkpoint-metrics`: FID/KID/IS/PRDC of every generator snapshot of a `train-gan` stage against a
 * `reference-stats` stage (see `@ganflow/metrics`' checkpoint metric stage; the sampler is in
 * `generator-snapshots.ts`). Its params (which metrics, how many samples) change only this stage.
 */
import { defineCheckpointMetricsStage } from "@ganflow/metrics/stages"
import { snapshotSampler } from "./generator-snapshots.ts"

/** Metrics over the checkpoints of a train-gan stage. */
export const checkpointMetrics = defineCheckpointMetricsStage({ name: "checkpoint-metrics", module: import.meta.url, sampler: snapshotSampler })
