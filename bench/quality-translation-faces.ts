/**
 * Quality of the image-translation defaults (issue 16): runs `npx ganflow run pix2pix-faces` or `cyclegan-faces`
 * (the first argument; the rest pass through) and prints the metrics stage's numbers for the last checkpoint —
 * pix2pix: FID against the target faces with its held-out floor, L1, PSNR, SSIM (Wang et al. and scikit-image's
 * variant); CycleGAN: FID of each direction with its floor — then the translation grid to look at.
 *
 *   npx tsx bench/quality-translation-faces.ts pix2pix-faces
 *   npx tsx bench/quality-translation-faces.ts cyclegan-faces
 */
import { join } from "node:path"
import { passThroughArgs, printStageMetrics, runPipelineDefault } from "./quality-run.ts"

const [pipeline, ...args] = passThroughArgs()
if (pipeline !== "pix2pix-faces" && pipeline !== "cyclegan-faces") {
  console.error("usage: npx tsx bench/quality-translation-faces.ts pix2pix-faces|cyclegan-faces [ganflow run args]")
  process.exit(2)
}
const run = runPipelineDefault(pipeline, args)
printStageMetrics(run, "metrics")
console.log(`wall seconds ${run.wallSeconds.toFixed(0)}`)
console.log(`look at: ${join(run.dirOf("grids"), "grid.png")}`)
