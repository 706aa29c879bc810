/**
 * Times training steps through @ganflow/trainers' `train()` and the same step in a PyTorch peer (best of 1 and 2
 * threads, via `runTorchPeer`), in one run, and prints images/s, the ratio, tensors leaked per step and peak RSS.
 * Shared by bench/train-dcgan.ts, bench/train-3dgan.ts and bench/train-vanilla.ts.
 */
import * as tf from "@tensorflow/tfjs-core"
import type { BackendInfo } from "../packages/backend/src/index.ts"
import { parseTrainConfig, train, type TrainConfigInput } from "../packages/trainers/src/index.ts"
import { printKernelProfile } from "./native-gan-graphs.ts"
import { runTorchPeer } from "./native-torch-peer.ts"

/** What to compare: the model, synthetic images of its shape, and how to call the peer for a thread count. */
export interface TrainerStepComparison {
  readonly title: string
  readonly backend: BackendInfo
  readonly model: TrainConfigInput["model"]
  /** `[N, ...imageShape]` images in [-1, 1]; disposed here. */
  readonly images: tf.Tensor
  readonly batch: number
  readonly steps: number
  readonly peerScript: string
  readonly peerArgs: ReadonlyArray<string | number>
  /** The key of the peer's printed rate (default `img_per_s`) and its unit for the printout (default `img/s`). */
  readonly peerRateKey?: string
  readonly unit?: string
  /** Also run this many steps (after a warm-up `train()`) under tf.profile and print the kernels (`--profile`). */
  readonly profileSteps?: number
}

/** Run both sides and print the comparison. */
export const compareTrainerSteps = async (c: TrainerStepComparison): Promise<void> => {
  const times: number[] = []
  const tensors: number[] = []
  let last = 0
  const trained = await train({
    config: parseTrainConfig({ model: c.model, steps: c.steps + 2, batchSize: c.batch }),
    data: { images: c.images },
    onProgress: () => {
      const now = performance.now()
      if (last > 0) times.push(now - last)
      last = now
      tensors.push(tf.memory().numTensors)
    },
  })
  trained.dispose()
  if (c.profileSteps !== undefined) {
    const config = parseTrainConfig({ model: c.model, steps: c.profileSteps, batchSize: c.batch })
    console.log(`${c.profileSteps} trainer steps (a fresh train(): model build and first-step set-up included) under tf.profile:`)
    await printKernelProfile(async () => (await train({ config, data: { images: c.images } })).dispose())
  }
  c.images.dispose()
  const sorted = times.slice(1).sort((a, b) => a - b)
  const medianMs = sorted[sorted.length >> 1]!
  const ours = c.batch / (medianMs / 1000)
  const leakedPerStep = (tensors.at(-1)! - tensors[1]!) / (tensors.length - 2)
  const rssMiB = Math.round(process.resourceUsage().maxRSS / 1024)

  const rateKey = c.peerRateKey ?? "img_per_s", unit = c.unit ?? "img/s"
  const torchRuns = [1, 2].map((t) => {
    const r = runTorchPeer(c.peerScript, [...c.peerArgs, t], t)
    return { threads: Number(r["threads"]), rate: Number(r[rateKey]), medianMs: Number(r["median_ms"]), rssMiB: Number(r["peak_rss_MiB"]) }
  })
  const best = torchRuns.reduce((a, b) => (b.rate > a.rate ? b : a))
  console.log(`${c.title}, ${c.steps} timed steps (median)`)
  console.log(`  ganflow ${c.backend.name}: ${medianMs.toFixed(1)} ms/step  ${ours.toFixed(1)} ${unit}  leaked ${leakedPerStep} tensors/step  peak RSS ${rssMiB} MiB`)
  for (const r of torchRuns) console.log(`  torch ${r.threads} thread(s): ${r.medianMs} ms/step  ${r.rate} ${unit}  peak RSS ${r.rssMiB} MiB`)
  console.log(`  ratio ganflow / best torch: ${(ours / best.rate).toFixed(2)}x`)
}
