/**
 * Quality of the `text2image-faces` default (issue 15: samples that follow their captions): runs `npx ganflow run
 * text2image-faces [args]` and prints the caption agreement of the last checkpoint (overall and per attribute,
 * beside chance and the real faces' ceiling) and its FID/KID with the held-out floor (1,000 further built-in faces
 * never trained on), then the caption grid to look at.
 *
 *   npx tsx bench/quality-text2image-faces.ts
 */
import { join } from "node:path"
import { printMetricsWithFloors, printStageMetrics, runPipelineDefault } from "./quality-run.ts"

const run = runPipelineDefault("text2image-faces")
printStageMetrics(run, "agreement")
printMetricsWithFloors(run, "fid")
console.log(`wall seconds ${run.wallSeconds.toFixed(0)}`)
console.log(`look at: ${join(run.dirOf("samples"), "grid.png")} (one row per caption) and ${join(run.dirOf("samples"), "interpolation.png")}`)
