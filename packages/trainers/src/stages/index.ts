/** Pipeline stages of @ganflow/trainers. */
export { trainGan, type TrainGanResult } from "./train-gan-stage.ts"
