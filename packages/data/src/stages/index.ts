/**
 * Pipeline stages of @ganflow/data (import from "@ganflow/data/stages"): one source stage per kind of data —
 * images, digits (MNIST), voxels — each reading a folder when given one and drawing its built-in synthetic set
 * otherwise, and the voxel fit that brings 3D shapes to the 3D-GAN's grid.
 */
export { imageSource, imageSourceParams } from "./image-source-stage.ts"
export { digitSource, digitSourceParams, findMnistPair, type DigitSourceValue } from "./digit-source-stage.ts"
export { voxelSource, voxelSourceParams, type VoxelSourceValue } from "./voxel-source-stage.ts"
export { voxelFit, voxelFitParams, fitPlan } from "./voxel-fit-stage.ts"
export { DATASET_FILE, HOLDOUT_FILE, readUpstreamDataset, type DatasetStageValue } from "./stage-dataset-file.ts"
export { writeDatasetOutputs } from "./write-dataset-outputs.ts"
export { agedFaceSource, agedFaceSourceParams, IDENTITIES_FILE } from "./aged-face-source-stage.ts"
export { pairedSource, pairedSourceParams } from "./paired-source-stage.ts"
export { unpairedSource, unpairedSourceParams } from "./unpaired-source-stage.ts"
export { TRANSLATION_FILES, readUpstreamTranslation, writeTranslationOutputs, type TranslationStageValue } from "./translation-dataset-files.ts"
export { textImageSource, textImageSourceParams, textImageFileFromParams, type TextImageSourceValue } from "./text-image-source-stage.ts"
export { readUpstreamCaptions, readUpstreamCaptionEmbeddings, readTextImageTrainingData } from "./text-image-stage-files.ts"
export { textEncoder, textEncoderParams, type TextEncoderValue } from "./text-encoder-stage.ts"
export { reportTrainingSteps } from "./training-step-events.ts"
