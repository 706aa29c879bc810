/**
 * 3D-GAN 32^3 full D+G training step (width 64: 256-128-64 filters, batch 8 by default) on the native backend vs
 * the same network in PyTorch (`bench/peers/gan3d_torch.py`, OMP_WAIT_POLICY=PASSIVE, best of 1 and 2 threads).
 *   npx tsx bench/native-3dgan-step.ts [--width 64] [--batch 8] [--steps 5] [--rounds 2] [--threads 1,2] [--profile]
 * The machine is shared by several agents: medians remain noisy.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fileURLToPath } from "node:url";

import { registerNativeBackend } from "../packages/native/src/index.ts";
import { gan3d32, ganStep, printKernelProfile } from "./native-gan-graphs.ts";
import { compareNativeSteps } from "./native-step-comparison.ts";
import { flag } from "./native-torch-peer.ts";

// tfjs-core 4.22 has no gradient for conv3dTranspose; @ganflow/backend registers the one every trainer uses.
import "../packages/backend/src/register-gradients.ts";

const width = Number(flag("width", "64"));
const batch = Number(flag("batch", "8"));
const threads = flag("threads", "1,2").split(",").map(Number);

await registerNativeBackend({ threads: threads[0] });
await tf.setBackend("native");
const gan = ganStep(gan3d32(width), batch);
await compareNativeSteps({
  title: `3D-GAN 32^3 width ${width} batch ${batch}`,
  unit: "samples/s",
  gan,
  batch,
  steps: Number(flag("steps", "5")),
  rounds: Number(flag("rounds", "2")),
  threads,
  peer: fileURLToPath(new URL("./peers/gan3d_torch.py", import.meta.url)),
  peerArgs: [width, batch, Number(flag("steps", "5"))],
  peerRateKey: "samples_per_s",
});
if (process.argv.includes("--profile")) await printKernelProfile(() => void gan.step());
gan.dispose();
