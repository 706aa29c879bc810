/** Pipeline stages of @ganflow/metrics (import from "@ganflow/metrics/stages"). */
export { featureClassifier, featureClassifierParams, type FeatureClassifierValue } from "./feature-classifier-stage.ts"
export { referenceStats, referenceStatsParams, REFERENCE_STATS_FILE, type ReferenceStatsValue } from "./reference-stats-stage.ts"
export {
  checkpointMetrics,
  defineCheckpointMetricsStage,
  snapshotSampler,
  checkpointMetricsParams,
  CHECKPOINT_METRICS_FILE,
  METRICS_FLOOR_FILE,
  derivedMetricName,
  type MetricsFloor,
  type CheckpointSampler,
  type CheckpointMetricsValue,
  type CheckpointRef,
  type CheckpointMetricsRow,
} from "./checkpoint-metrics-stage.ts"
export { openStageExtractor, CLASSIFIER_DIR, type ExtractorChoice } from "./stage-extractor.ts"
export { datasetImageBatches } from "./dataset-image-batches.ts"
export { selectCheckpointStage, selectCheckpointParams, SELECTED_CHECKPOINT_FILE } from "./select-checkpoint-stage.ts"
export {
  attributeClassifier, attributeClassifierParams, ATTRIBUTE_CLASSIFIER_DIR, ATTRIBUTE_HEADS_FILE,
  type AttributeClassifierValue, type AttributeHeadsFile,
} from "./attribute-classifier-stage.ts"
export {
  captionAgreement, defineCaptionAgreementStage, textSnapshotSampler, captionAgreementParams, CAPTION_AGREEMENT_FILE,
  type TextConditionedSampler, type CaptionAgreementRow, type CaptionAgreementValue,
} from "./attribute-agreement-stage.ts"
