/**
 * 3D-GAN 32^3 training steps through @ganflow/trainers' `train()` (the models' `gan3d`: conv3d / conv3dTranspose
 * with biases, batch norm through the layer, one D update on real + detached fake, one G update; BCE with logits;
 * Adam 2e-4 / 0.5) against the PyTorch peer of bench/native-3dgan-step.ts (`bench/peers/gan3d_torch.py`, the same
 * network; Debian's PyTorch 1.13, OMP_WAIT_POLICY=PASSIVE, best of 1 and 2 threads), measured in the same run.
 * Prints samples/s, the ratio, tensors leaked per step and peak RSS.
 *
 *   npx tsx bench/train-3dgan.ts [--backend auto|native|wasm|cpu] [--threads 2] [--width 64] [--batch 8] [--steps 5] [--profile]
 *
 * `GANFLOW_NATIVE_FUSED_BN=0` runs the native backend without its fused batch-norm kernels (the layers' composed
 * tf.moments + tf.batchNorm), for a before/after comparison. The machine is shared: read the ratio.
 */
import { fileURLToPath } from "node:url"
import * as tf from "@tensorflow/tfjs-core"
import { initBackend } from "../packages/backend/src/index.ts"
import { flag } from "./native-torch-peer.ts"
import { compareTrainerSteps } from "./trainer-step-comparison.ts"

const backend = flag("backend", "auto")
const threads = Number(flag("threads", "2"))
const width = Number(flag("width", "64"))
const batch = Number(flag("batch", "8"))
const steps = Number(flag("steps", "5"))

const info = await initBackend({ backend: backend as "auto", threads })
console.log(`backend: ${info.name} (${info.threads} thread(s))${process.env["GANFLOW_NATIVE_FUSED_BN"] === "0" ? ", fused batch norm off" : ""}`)
await compareTrainerSteps({
  title: `3D-GAN 32^3 width=${width} batch=${batch}`,
  backend: info,
  model: { architecture: "gan3d", options: { resolution: 32, width } },
  // binary occupancy grids, as the voxel data are
  images: tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([batch * 2, 32, 32, 32, 1], 0, 1, "float32", 1), 0.5), "float32")),
  batch,
  steps,
  peerScript: fileURLToPath(new URL("./peers/gan3d_torch.py", import.meta.url)),
  peerArgs: [width, batch, steps],
  peerRateKey: "samples_per_s",
  unit: "samples/s",
  ...(process.argv.includes("--profile") ? { profileSteps: 3 } : {}),
})
