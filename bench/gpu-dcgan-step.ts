/**
 * DCGAN-64 training step (one D + one G update, BCE, Adam; batch 64) on WebGPU vs PyTorch CUDA on the same GPU
 * (`bench/peers/dcgan_torch_cuda.py`) vs our native CPU backend, in one run; prints img/s and the ratios.
 * WebGPU is timed twice: reading the losses back every step, and once per `--log-every` steps (what the trainer
 * does); their difference is the readback cost, and a tf.profile of one step shows the kernels' share.
 *   npx tsx bench/gpu-dcgan-step.ts [--ngf 64] [--batch 64] [--steps 20] [--log-every 10]
 * Needs a GPU adapter (GANFLOW_WEBGPU_SOFTWARE=1 runs it on SwiftShader: correct, not a speed figure).
 */
import * as tf from "@tensorflow/tfjs-core";
import { fileURLToPath } from "node:url";
import { initBackend } from "../packages/backend/src/index.ts";
import { registerNativeBackend } from "../packages/native/src/index.ts";
import { dcgan64, ganStep } from "./native-gan-graphs.ts";
import { flag, median, runTorchPeer } from "./native-torch-peer.ts";

const ngf = Number(flag("ngf", "64"));
const batch = Number(flag("batch", "64"));
const steps = Number(flag("steps", "20"));
const logEvery = Number(flag("log-every", "10"));

const bce = (logits: tf.Tensor, label: number) =>
  tf.mean(tf.sub(tf.add(tf.relu(logits), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))), tf.mul(logits, label)));

/** One D+G step that leaves its two losses on the GPU (the caller reads them when it wants). */
const gpuStep = (models: ReturnType<typeof dcgan64>, optD: tf.Optimizer, optG: tf.Optimizer, real: tf.Tensor) => () => {
  const z = [batch, ...models.latent];
  const fake = tf.tidy(() => models.g.apply(tf.randomNormal(z)));
  const lossD = optD.minimize(() => tf.add(bce(models.d.apply(real), 1), bce(models.d.apply(fake), 0)) as tf.Scalar, true, models.d.params.vars)!;
  fake.dispose();
  const lossG = optG.minimize(() => bce(models.d.apply(models.g.apply(tf.randomNormal(z))), 1) as tf.Scalar, true, models.g.params.vars)!;
  return [lossD, lossG];
};

/** img/s over `steps` steps, reading the losses (one batched async read) every `readEvery` steps. */
const timeGpu = async (step: () => tf.Tensor[], readEvery: number): Promise<number> => {
  let pending: tf.Tensor[] = [];
  const flush = async () => {
    const stacked = tf.stack(pending);
    await stacked.data();
    stacked.dispose();
    tf.dispose(pending);
    pending = [];
  };
  for (let i = 0; i < 3; i++) pending.push(...step());
  await flush();
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    pending.push(...step());
    if (i % readEvery === 0 || i === steps) await flush();
  }
  return (batch * steps * 1000) / (performance.now() - t0);
};

const gpu = await initBackend({ backend: "webgpu" });
console.log(`WebGPU adapter: ${gpu.device}${gpu.adapter?.software ? " — SOFTWARE adapter: not a speed figure" : ""}`);
const models = dcgan64(ngf);
const optD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
const optG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
const real = tf.randomUniform([batch, 64, 64, 3], -1, 1, "float32", 7);
const step = gpuStep(models, optD, optG, real);
const everyStep = await timeGpu(step, 1);
const batched = await timeGpu(step, logEvery);
const profile = await tf.profile(() => tf.dispose(step()));
const kernelMs = profile.kernels.reduce((sum, k) => sum + Number(k.kernelTimeMs ?? 0), 0);
const stepMs = (batch * 1000) / batched;
console.log(`webgpu ngf ${ngf} batch ${batch}: ${batched.toFixed(1)} img/s reading losses every ${logEvery} steps, ${everyStep.toFixed(1)} img/s reading every step ` +
  `(readback overhead ${(((batch * 1000) / everyStep - stepMs)).toFixed(1)} ms/step of ${stepMs.toFixed(1)}); kernels ${kernelMs.toFixed(1)} ms of one profiled step`);
tf.dispose([real, ...models.g.params.vars, ...models.d.params.vars]);
optD.dispose();
optG.dispose();

const torch = runTorchPeer(fileURLToPath(new URL("peers/dcgan_torch_cuda.py", import.meta.url)), [ngf, batch, steps], 1);
const torchRate = typeof torch["img_per_s"] === "number" ? (torch["img_per_s"] as number) : undefined;
console.log(torchRate === undefined ? `PyTorch CUDA: unavailable (${String(torch["error"])})` : `PyTorch CUDA (${String(torch["device"])}): ${torchRate} img/s`);

await registerNativeBackend({});
await tf.setBackend("native");
const cpu = ganStep(dcgan64(ngf), batch);
cpu.step();
const times: number[] = [];
for (let i = 0; i < Math.min(steps, 5); i++) {
  const t0 = performance.now();
  cpu.step();
  times.push(performance.now() - t0);
}
cpu.dispose();
const nativeRate = (batch * 1000) / median(times);
console.log(`native CPU: ${nativeRate.toFixed(1)} img/s`);
console.log(`ratios: webgpu/torch-cuda ${torchRate === undefined ? "n/a" : (batched / torchRate).toFixed(2)}x (target >= 0.5x), webgpu/native-cpu ${(batched / nativeRate).toFixed(2)}x`);
