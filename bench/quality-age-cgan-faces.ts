/**
 * Quality of the `age-cgan-faces` default (issue 17: faces re-aged to the requested group, keeping who they are):
 * runs `npx ganflow run age-cgan-faces [args]` and prints the evaluation stage's numbers — the share of re-aged
 * held-out faces (and of random G(z, y) samples) the age classifier puts in the requested group (chance 1/6), the
 * identity distance of re-aged faces to their originals beside the distance between different faces, FID — then
 * the aging picture to look at.
 *
 *   npx tsx bench/quality-age-cgan-faces.ts [--set data.dir=<IMDB-WIKI folder>]
 */
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { printStageMetrics, runPipelineDefault } from "./quality-run.ts"

const run = runPipelineDefault("age-cgan-faces")
printStageMetrics(run, "ages")
printStageMetrics(run, "evaluation")
console.log(`wall seconds ${run.wallSeconds.toFixed(0)}`)
const pictures = readdirSync(run.dirOf("evaluation")).filter((f) => f.endsWith(".png"))
console.log(`look at: ${pictures.map((f) => join(run.dirOf("evaluation"), f)).join(", ") || run.dirOf("evaluation")}`)
