/** Pipeline stages of @ganflow/trainers. */
export { trainGan, type TrainGanResult } from "./train-gan-stage.ts"
export { defineRecipeTrainingStage, type RecipeTrainingResult, type RecipeTrainingStageOptions, type NetworkExport } from "./recipe-training-stage.ts"
export { trainSrresnet, trainSrgan, superResolutionData, type TrainSrganExtra } from "./train-super-resolution-stages.ts"
export { trainAgeCgan } from "./train-age-cgan-stage.ts"
export { trainPix2pix } from "./pix2pix-training-stage.ts"
export { trainCyclegan } from "./cyclegan-training-stage.ts"
