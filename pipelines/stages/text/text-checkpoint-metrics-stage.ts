/**
 * Stage `text-checkpoint-metrics`: FID/KID/… of every checkpoint of a text-to-image training stage against a
 * reference — the checkpoint-metrics stage of `@ganflow/metrics` over {@link textCheckpointSampler} (conditions drawn
 * from the training captions' φ(t), the same for every checkpoint).
 */
import { defineCheckpointMetricsStage } from "@ganflow/metrics/stages"
import { textCheckpointSampler } from "./text-conditioned-sampling.ts"

/** FID/KID per checkpoint of a text-conditioned generator. */
export const textCheckpointMetrics = defineCheckpointMetricsStage({ name: "text-checkpoint-metrics", module: import.meta.url, sampler: textCheckpointSampler })
