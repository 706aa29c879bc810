/**
 * @ganflow/metrics — GAN evaluation: FID, KID, Inception Score, mode score, precision/recall,
 * density/coverage; pluggable feature extractors; streamed feature statistics.
 *
 * Layers, bottom up: float64 linear algebra (`linalg/`, WebAssembly SIMD kernels), pure metric
 * maths on feature matrices and moments (`maths/`), feature extractors and the one resize path
 * (`extractors/`), streamed gathering into FeatureStats (`features/`, `stats/`), named metric
 * values (`evaluation/`). Pipeline stages live in "@ganflow/metrics/stages".
 */
export * from "./errors.ts"
export { featureMatrix, type FeatureMatrix } from "./features/feature-matrix.ts"
export { FeatureMomentsAccumulator, featureMoments, MOMENTS_CHUNK_ROWS, type FeatureMoments } from "./maths/feature-moments.ts"
export { frechetDistance, FRECHET_RETRY_EPSILON, type FrechetDistance, type GaussianMoments } from "./maths/frechet-distance.ts"
export { traceSqrtProduct, type TraceSqrtProduct } from "./maths/trace-sqrt-product.ts"
export {
  kernelInceptionDistance,
  unbiasedPolynomialMmd2,
  type KernelInceptionDistance,
  type KernelInceptionDistanceOptions,
  type PolynomialKernel,
} from "./maths/kernel-inception-distance.ts"
export { inceptionScore, toLogProbabilities, type InceptionScore, type InceptionScoreOptions } from "./maths/inception-score.ts"
export { modeScore, type ModeScore } from "./maths/mode-score.ts"
export { precisionRecallDensityCoverage, type PrecisionRecallDensityCoverage } from "./maths/precision-recall-density-coverage.ts"
export { nearestNeighbourRadii } from "./maths/nearest-neighbour-radii.ts"
export { forEachDistanceBlock } from "./maths/pairwise-distances.ts"
export { MersenneTwister } from "./maths/mersenne-twister.ts"
export { lumaBt601, cropBorder, type LumaRounding } from "./maths/luma-bt601.ts"
export { superResolutionQuality, type SuperResolutionQualityOptions } from "./maths/super-resolution-quality.ts"
export { accumulateCrossProduct, mirrorUpperToLower, setCrossProductKernel, type CrossProductKernel, type CrossProductPart } from "./linalg/cross-product.ts"
export { nativeCrossProductAvailable } from "./linalg/cross-product-native.ts"
export { symmetricEigenvalues } from "./linalg/symmetric-eigenvalues.ts"
export { pivotedCholesky, type PivotedCholeskyFactor } from "./linalg/pivoted-cholesky.ts"
export { metricKey, type FeatureExtractor, type ExtractedBatch, type PixelRange } from "./extractors/feature-extractor.ts"
export { prepareImages } from "./extractors/prepare-images.ts"
export { buildInceptionV3 } from "./extractors/inception-v3-architecture.ts"
export { loadInceptionV3Extractor, inceptionExtractorFromModel, INCEPTION_POOL_LAYER, INCEPTION_PREDICTIONS_LAYER } from "./extractors/inception-v3-extractor.ts"
export {
  buildMnistLenet,
  trainMnistClassifier,
  mnistLenetExtractor,
  MNIST_LENET_NAME,
  type ClassifierTraining,
  type ClassifierTrainingReport,
} from "./extractors/mnist-lenet.ts"
export { randomCnnExtractor } from "./extractors/random-cnn.ts"
export { extractorFromLayersModel, FEATURES_LAYER, LOGITS_LAYER } from "./extractors/layer-model-extractor.ts"
export { gatherFeatures, tensorBatches, DEFAULT_SAMPLE_CAP, type GatherOptions } from "./features/gather-features.ts"
export type { FeatureStats } from "./stats/feature-stats.ts"
export { encodeFeatureStats, decodeFeatureStats, FEATURE_STATS_MAGIC } from "./stats/feature-stats-file.ts"
export { metricsBetween, type MetricName, type MetricSelection, type MetricValues } from "./evaluation/metrics-between.ts"
export { type ImagePlanes, imagePlanes } from "./maths/image-planes.ts"
export { meanAbsoluteError } from "./maths/mean-absolute-error.ts"
export { meanSquaredError, peakSignalNoiseRatio } from "./maths/psnr.ts"
export { structuralSimilarity, type SsimOptions, type SsimVariant } from "./maths/ssim.ts"
export { selectCheckpoint, parseSelectionRule, CheckpointSelectionInvalid, SELECTION_RULE_PATTERN, type SelectionRule, type Selection, type CheckpointScores } from "./evaluation/checkpoint-selection.ts"
export { measureCaptionAgreement, type CaptionAgreement, type AttributeAgreement } from "./maths/caption-agreement.ts"
export {
  buildAttributeClassifier, trainAttributeClassifier, predictFaceAttributes, faceAttributeCodes, FACE_ATTRIBUTE_CLASSES, FACE_ATTRIBUTE_HEADS,
  type AttributeClassifierTraining,
} from "./extractors/attribute-classifier.ts"
