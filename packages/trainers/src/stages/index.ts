/** Pipeline stages of @ganflow/trainers. */
export { trainGan, type TrainGanResult, type GeneratorDescription } from "./train-gan-stage.ts"
