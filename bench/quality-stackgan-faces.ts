/**
 * Quality of the `stackgan-faces` default (issue 15: StackGAN whose samples follow their captions): runs the pipeline
 * (cached when nothing changed; extra arguments are passed to `ganflow run`, so a reduced check is e.g.
 * `--set stage1.steps=300 --set stage1.checkpointEvery=100 --only stage1,agreement1,samples1`) and prints, per
 * training stage that ran, D's and G's losses averaged over each checkpoint interval (from `steps.jsonl`) beside the
 * caption agreement of that checkpoint (overall and per attribute, chance in brackets; `agreement.json` of the
 * `text-caption-agreement` stages, the same metric as text2image-faces), then the grids to look at.
 *
 *   npx tsx bench/quality-stackgan-faces.ts [ganflow run args…]
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { CaptionAgreementRow } from "../packages/metrics/src/stages/attribute-agreement-stage.ts"
import { runPipelineDefault } from "./quality-run.ts"

const percent = (v: number) => `${(v * 100).toFixed(1)}%`

/** One line of `steps.jsonl`: `{ step, time, stepMs, dLoss, gLoss, "<phase>/<term>": … }`. */
type StepLine = Readonly<Record<string, number>> & { readonly step: number }

/** Mean of each loss (`dLoss`, `gLoss`, each term) over the steps in (from, to]. */
const meanLosses = (steps: readonly StepLine[], from: number, to: number): Record<string, number> => {
  const inside = steps.filter((s) => s.step > from && s.step <= to)
  const names = [...new Set(inside.flatMap((s) => Object.keys(s)))].filter((n) => !["step", "time", "stepMs"].includes(n))
  return Object.fromEntries(names.map((n) => [n, inside.reduce((sum, s) => sum + (s[n] ?? 0), 0) / Math.max(1, inside.length)]))
}

const run = runPipelineDefault("stackgan-faces")
const staged = new Set(run.record.stages.map((s) => s.name))
for (const [training, agreement, samples] of [["stage1", "agreement1", "samples1"], ["stage2", "agreement2", "samples2"]] as const) {
  if (!staged.has(training)) continue
  const stepsFile = join(run.dirOf(training), "steps.jsonl")
  const steps = readFileSync(stepsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as StepLine)
  const rows: CaptionAgreementRow[] = staged.has(agreement) ? (JSON.parse(readFileSync(join(run.dirOf(agreement), "agreement.json"), "utf8")) as { checkpoints: CaptionAgreementRow[] }).checkpoints : []
  const real = staged.has(agreement) ? (JSON.parse(readFileSync(join(run.dirOf(agreement), "agreement.json"), "utf8")) as { real: { overall: number } }).real.overall : Number.NaN
  console.log(`\n## ${training}: mean losses per checkpoint interval, caption agreement (chance) of the checkpoint; real faces ${percent(real)}`)
  const ends = rows.length > 0 ? rows.map((r) => r.step) : [steps.at(-1)!.step]
  let from = 0
  for (const end of ends) {
    const losses = meanLosses(steps, from, end)
    const row = rows.find((r) => r.step === end)
    const agreementText = row === undefined ? "" : `  agreement ${percent(row.overall)} (${percent(row.chanceOverall)})  ${Object.entries(row.perAttribute).map(([a, v]) => `${a} ${percent(v.agreement)} (${percent(v.chance)})`).join("  ")}`
    console.log(`steps ${String(from + 1).padStart(5)}-${String(end).padEnd(5)} ${Object.entries(losses).map(([n, v]) => `${n.replace("generator/", "")} ${v.toFixed(3)}`).join("  ")}${agreementText}`)
    from = end
  }
  if (staged.has(samples) && existsSync(join(run.dirOf(samples), "grid.png"))) console.log(`look at: ${join(run.dirOf(samples), "grid.png")}`)
}
