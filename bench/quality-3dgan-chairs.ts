/**
 * Quality of the `3dgan-chairs` default (issue 19's bars): runs `npx ganflow run 3dgan-chairs [args]` and prints the
 * final generator's IoU metrics against the real set's (the peer here: the training shapes themselves) —
 * pairwise IoU ≤ 1.5x the real set's (no mode collapse), nearest-shape IoU ≥ 0.5 (fidelity), occupancy within
 * ±30% of the real set's — plus the picture to look at (each sample a distinct chair with seat, back and legs).
 *
 *   npx tsx bench/quality-3dgan-chairs.ts                                                       # built-in chairs
 *   npx tsx bench/quality-3dgan-chairs.ts --set data.dir=../shared/datasets/shapenet-chairs-binvox
 *   npx tsx bench/quality-3dgan-chairs.ts --set data.dir=<folder of .mat> --set data.format=mat
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { check, runPipelineDefault } from "./quality-run.ts"

interface VoxelMetricsFile {
  readonly reference: { readonly shapes: number; readonly pairwiseIou: number; readonly occupancy: number }
  readonly generators: ReadonlyArray<{ readonly generator: string; readonly step: number; readonly values: Record<string, number> }>
}

const run = runPipelineDefault("3dgan-chairs")
const file = JSON.parse(readFileSync(join(run.dirOf("metrics"), "metrics.json"), "utf8")) as VoxelMetricsFile
const { reference } = file
console.log(`real set (${reference.shapes} shapes): pairwiseIou ${reference.pairwiseIou.toFixed(3)}, occupancy ${(reference.occupancy * 100).toFixed(2)}%`)
for (const g of file.generators) {
  console.log(`  ${g.generator.padEnd(12)} step ${String(g.step).padStart(5)}: ${Object.entries(g.values).map(([k, v]) => `${k} ${v.toFixed(3)}`).join("  ")}`)
}
const last = file.generators.at(-1)!.values
const results = [
  check("pairwiseIou / real", last["pairwiseIou"]! / reference.pairwiseIou, last["pairwiseIou"]! / reference.pairwiseIou <= 1.5, "<= 1.5 (no mode collapse)"),
  check("nearestIou", last["nearestIou"]!, last["nearestIou"]! >= 0.5, ">= 0.5 (close to some real shape)"),
  check("occupancy / real", last["occupancy"]! / reference.occupancy, Math.abs(last["occupancy"]! / reference.occupancy - 1) <= 0.3, "within 0.7-1.3"),
  check("wall seconds", run.wallSeconds, run.wallSeconds <= 600, "<= 600 on 2 cores (first run)"),
]
console.log(`look at: ${join(run.dirOf("render"), "samples.png")} (and views.png, real.png)`)
console.log(results.every(Boolean) ? "all bars met" : "some bars MISSED")
