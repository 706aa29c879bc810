/**
 * Quality of the `cgan-digits` default: runs `npx ganflow run cgan-digits [args]` and prints IS/FID/KID of the last
 * checkpoint under the pipeline's LeNet with their held-out floors and gaps, then the grid to look at (one row per
 * class: every row should be its digit).
 *
 *   npx tsx bench/quality-cgan-digits.ts [--set data.dir=../shared/datasets/mnist]
 */
import { join } from "node:path"
import { printMetricsWithFloors, runPipelineDefault } from "./quality-run.ts"

const run = runPipelineDefault("cgan-digits")
printMetricsWithFloors(run, "metrics")
console.log(`wall seconds ${run.wallSeconds.toFixed(0)}`)
console.log(`look at: ${join(run.dirOf("samples"), "grid.png")} (one row per class) and ${join(run.dirOf("curves"), "fid.png")}`)
