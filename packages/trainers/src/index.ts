/**
 * @ganflow/trainers — the adversarial training loop: losses, the two-phase step, tricks, EMA, checkpoints,
 * logs (JSONL, TensorBoard), sample grids and export of the trained generator.
 */
export { train, type TrainOptions, type TrainedGan, type StepLosses } from "./train.ts"
export { trainRecipe, TrainingRunSettings, type TrainRecipeOptions, type TrainedRecipe } from "./train-recipe.ts"
export {
  defineRecipe, definePhase, type Recipe, type RecipeInstance, type Phase, type LossTerm, type PhaseMonitor, type Networks, type BatchFields,
  type DrawContext, type OptimizerChoice, type RecipeState, type RecipeSampler,
} from "./recipe.ts"
export { adam, type TrainingOptimizer } from "./training-optimizer.ts"
export { ganClsRecipe, ganClsInstance, GanClsConfig, describeTextConditionalGenerator, type TextToImageNetworks } from "./recipes/gan-cls.ts"
export { stackganStage1Recipe, stackganStage1Instance, StackganStage1Config } from "./recipes/stackgan-stage1.ts"
export { stackganStage2Recipe, stackganStage2Instance, StackganStage2Config } from "./recipes/stackgan-stage2.ts"
export { checkTextToImageData, textToImageFields } from "./recipes/text-to-image-data.ts"
export { matchingAwareDiscriminatorLoss, matchingAwareDiscriminatorLossWithUnconditional, interpolateEmbeddings, interpolatedTextGeneratorLoss, rolledEmbeddings } from "./loss-terms/matching-aware-loss.ts"
export { conditioningAugmentationKl } from "./loss-terms/conditioning-augmentation-kl.ts"
export { featureMatchingLoss } from "./loss-terms/feature-matching-loss.ts"
export { adversarialRecipe, adversarialInstance, type AdversarialNetworks } from "./recipes/adversarial.ts"
export { DivergenceGuard, type DivergenceLimits } from "./divergence-guard.ts"
export { TrainConfig, type TrainConfigInput, TrainingTricks, AdamConfig, parseTrainConfig, ganSpecOf } from "./train-config.ts"
export { adversarialLosses, adversarialLossNames, type AdversarialLoss, type AdversarialLossName, type DiscriminatorLossOptions, bceWithLogits, classCrossEntropy } from "./loss-terms/adversarial-losses.ts"
export { gradientPenalty } from "./loss-terms/gradient-penalty.ts"
export { patchGanCriterion, patchGanGeneratorLoss, patchGanDiscriminatorLoss, type PatchGanMode } from "./loss-terms/patch-gan-losses.ts"
export { l1DistanceLoss, PIX2PIX_L1_WEIGHT } from "./loss-terms/l1-distance-loss.ts"
export { cycleConsistencyLoss, identityLoss, CYCLE_LAMBDA, IDENTITY_FRACTION } from "./loss-terms/cycle-consistency-loss.ts"
export { ImageHistoryBuffer } from "./image-history-buffer.ts"
export { pix2pixRecipe, pix2pixInstance, Pix2pixConfig, type Pix2pixNetworks } from "./recipes/pix2pix.ts"
export { cycleganRecipe, cycleganInstance, CycleganConfig, type CycleganNetworks } from "./recipes/cyclegan.ts"
export { runPhase, trainingStep, disposePhaseOutcome, type PhaseOutcome, type StepOutcome } from "./train-step.ts"
export { createPlayers, disposePlayers, allWeightsOf, type GanPlayers, type LearningNetwork } from "./gan-players.ts"
export { AdamOptimizer, type AdamSettings, type AdamState } from "./adam-optimizer.ts"
export { WeightAverage } from "./generator-ema.ts"
export { HistoricalAverage } from "./historical-averaging.ts"
export { ShuffledBatches, BatchStreams, type TrainingSet, type TrainingData, type Batch, type DataCursor } from "./training-set.ts"
export { sampleLatents, sampleLabels, sampleUniform } from "./latent-sampler.ts"
export { saveCheckpoint, loadCheckpoint, readCheckpointManifest, type CheckpointManifest, type CheckpointState, type TensorEntry } from "./checkpoint-format.ts"
export { TensorBoardWriter, tfRecord, scalarsEvent, fileVersionEvent } from "./tensorboard-events.ts"
export { crc32c, maskedCrc32c } from "./crc32c.ts"
export { StepLog, readStepLog, type StepRecord } from "./step-log.ts"
export { renderSampleGrid, writeSampleGrid, type SampleGrid } from "./sample-grid.ts"
export { exportGenerator } from "./export-generator.ts"
export {
  describeGanModels,
  readGeneratorDescription,
  writeGeneratorDescription,
  GeneratorDescriptionSchema,
  GENERATOR_DESCRIPTION_FILE,
  type GeneratorDescription,
} from "./generator-description.ts"
export {
  FINAL_GENERATOR,
  generatorDir,
  generatorDescriptionOf,
  loadGenerator,
  loadGeneratorFrom,
  generatorInputs,
  disposeGeneratorInputs,
  generate,
  type GeneratorInputs,
} from "./generator-sampling.ts"
export { formatProgress, formatLosses, StepRate, type TrainingProgress, type RunProgress } from "./training-progress.ts"
export { TrainingDiverged, TrainConfigInvalid, CheckpointInvalid, TrainingDataInvalid, GeneratorDescriptionInvalid, isTrainerError, type TrainerError } from "./errors.ts"
export {
  exportCheckpointGenerators,
  readCheckpointGeneratorWeights,
  readGeneratorSnapshots,
  snapshotId,
  snapshotDir,
  GENERATOR_SNAPSHOTS_FILE,
  GENERATOR_SNAPSHOTS_DIR,
  type GeneratorSnapshot,
} from "./checkpoint-generator.ts"
export { contentLoss, VGG_CONTENT_SCALE } from "./loss-terms/perceptual-loss.ts"
export { latentReconstructionLoss, identityPreservingLoss } from "./loss-terms/latent-reconstruction-loss.ts"
export { optimiseIdentityLatents, type IdentityLatentProblem, type IdentityLatents } from "./identity-preserving-latents.ts"
export { srresnetRecipe, srresnetInstance, SrresnetConfig, pixelMeanSquaredError, type SrresnetNetworks } from "./recipes/srresnet.ts"
export { srganRecipe, srganInstance, SrganConfig, type SrganNetworks, type SrganResources } from "./recipes/srgan.ts"
export { ageCganRecipe, ageCganInstance, AgeCganConfig, type AgeCganNetworks } from "./recipes/age-cgan.ts"
export { selectedGeneratorId, type SelectedCheckpoint } from "./selected-checkpoint.ts"
export { LearningRateSchedule, learningRateAt, constantSchedule, scheduleProblem } from "./learning-rate-schedule.ts"
export { RmsPropOptimizer, RmsPropConfig, rmsprop, type RmsPropSettings, type RmsPropState } from "./rmsprop-optimizer.ts"
export { clipWeights } from "./weight-clipping.ts"
export { EarlyStopping, EarlyStoppingConfig, type EarlyStop, type EarlyStoppingState } from "./early-stopping.ts"
export { generatorBatches } from "./generator-batches.ts"
export { LiveMetrics, LiveMetricsConfig, LIVE_METRICS_FILE, readLiveMetrics, type LiveMetricEvaluator, type LiveMetricSettings, type LiveMetricsRow } from "./live-metrics.ts"
