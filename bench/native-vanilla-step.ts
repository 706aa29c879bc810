/**
 * Vanilla (MLP) GAN full D+G training step (hidden 500, batch 64 by default: the graph of @ganflow/models' vanilla)
 * on the native backend vs the same network in PyTorch (`bench/peers/vanilla_gan_torch.py`, OMP_WAIT_POLICY=PASSIVE,
 * best of 1 and 2 threads), interleaved rounds. Tiny steps: this measures per-op overhead as much as kernels.
 *   npx tsx bench/native-vanilla-step.ts [--hidden 500] [--batch 64] [--steps 30] [--rounds 3] [--threads 1,2] [--profile]
 * The machine is shared by several agents: medians remain noisy. (bench/train-vanilla.ts times the same model
 * through the trainers' train(), on any backend.)
 */
import * as tf from "@tensorflow/tfjs-core";
import { fileURLToPath } from "node:url";

import { registerNativeBackend } from "../packages/native/src/index.ts";
import { ganStep, mlpGan, printKernelProfile } from "./native-gan-graphs.ts";
import { compareNativeSteps } from "./native-step-comparison.ts";
import { flag } from "./native-torch-peer.ts";

const hidden = Number(flag("hidden", "500"));
const batch = Number(flag("batch", "64"));
const steps = Number(flag("steps", "30"));
const threads = flag("threads", "1,2").split(",").map(Number);

await registerNativeBackend({ threads: threads[0] });
await tf.setBackend("native");
const gan = ganStep(mlpGan(hidden), batch);
await compareNativeSteps({
  title: `vanilla MLP GAN hidden ${hidden} batch ${batch}`,
  unit: "img/s",
  gan,
  batch,
  steps,
  rounds: Number(flag("rounds", "3")),
  threads,
  peer: fileURLToPath(new URL("./peers/vanilla_gan_torch.py", import.meta.url)),
  peerArgs: [hidden, batch, steps],
  peerRateKey: "img_per_s",
});
if (process.argv.includes("--profile")) await printKernelProfile(() => void gan.step());
gan.dispose();
