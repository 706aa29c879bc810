/** Pipeline stages of @ganflow/trainers. */
export { trainGan, type TrainGanResult } from "./train-gan-stage.ts"
export { defineRecipeTrainingStage, type RecipeTrainingResult, type RecipeTrainingStageOptions, type NetworkExport } from "./recipe-training-stage.ts"
