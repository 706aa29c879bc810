/**
 * Quality of the `srgan-faces` default (issue 17's bar: SRGAN beats bicubic on PSNR or perceptibly on the strip, the
 * default within 10 minutes on 2 cores): runs `npx ganflow run srgan-faces [args]` and prints the metrics stage's table
 * (every SRResNet and SRGAN checkpoint against the bicubic row on held-out faces: PSNR/SSIM on Y, border 4, FID) and
 * the final SRGAN's margin over bicubic, plus the strip to look at (LR | bicubic | SRResNet | SRGAN | HR).
 *
 *   npx tsx bench/quality-srgan-faces.ts                               # built-in faces, 64x64 from 16x16
 *   npx tsx bench/quality-srgan-faces.ts --set data.dir=<HR images>
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { SuperResolutionRow } from "../pipelines/stages/faces/super-resolution-metrics-stage.ts"
import { check, runPipelineDefault } from "./quality-run.ts"

const run = runPipelineDefault("srgan-faces")
const table = JSON.parse(readFileSync(join(run.dirOf("metrics"), "metrics.json"), "utf8")) as { rows: SuperResolutionRow[]; images: number; fidKey: string }
console.log(`${table.images} held-out faces, x4, Y channel, border 4`)
for (const r of table.rows) console.log(`  ${r.model.padEnd(9)} step ${String(r.step).padStart(5)}: PSNR-Y ${r.psnr.toFixed(2)} dB  SSIM-Y ${r.ssim.toFixed(3)}  ${table.fidKey} ${r.fid.toFixed(3)}`)
const bicubic = table.rows.find((r) => r.model === "bicubic")!
const last = (model: string) => table.rows.filter((r) => r.model === model).at(-1)!
const srresnet = last("srresnet")
const srgan = last("srgan")
const results = [
  check("SRResNet PSNR-Y - bicubic (dB)", srresnet.psnr - bicubic.psnr, srresnet.psnr > bicubic.psnr, "> 0"),
  check("SRGAN PSNR-Y - bicubic (dB)", srgan.psnr - bicubic.psnr, srgan.psnr > bicubic.psnr, "> 0 (the issue's bar, on PSNR)"),
  check("SRGAN SSIM-Y - bicubic", srgan.ssim - bicubic.ssim, srgan.ssim > bicubic.ssim, "> 0"),
  check("wall seconds", run.wallSeconds, run.wallSeconds <= 600, "<= 600 on 2 cores (first run)"),
]
console.log(`look at: ${join(run.dirOf("strips"), "strips.png")} (LR | bicubic | SRResNet | SRGAN | HR; per checkpoint in checkpoints/)`)
console.log(results.every(Boolean) ? "all bars met" : "some bars MISSED")
