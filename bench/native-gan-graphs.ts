/**
 * The benchmark networks written with plain TensorFlow.js ops, layer for layer as the PyTorch peers
 * (`../shared/peers/dcgan_torch.py`, `bench/peers/gan3d_torch.py`, `bench/peers/vanilla_gan_torch.py`): channels-last, BN in training mode
 * (batch statistics, biased variance, eps 1e-5), BCE with logits, Adam (2e-4, 0.5, 0.999, eps 1e-8) with PyTorch's
 * update rule: @ganflow/trainers' AdamOptimizer, which the trainers use (fused into one kernel per variable where the
 * backend has it, as the native backend does).
 * One `step()` = update D on real and detached fake, then update G through D (D's weights frozen).
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-layers"; // registers every gradient (the tfjs-core CJS bundle does not)

import { batchNormTraining as fusedBatchNorm, type BatchNormActivation } from "../packages/native/src/index.ts";
import { AdamOptimizer } from "../packages/trainers/src/index.ts";

class Params {
  readonly vars: tf.Variable[] = [];
  constructor(private readonly prefix: string) {}
  normal(shape: number[], mean: number, std: number): tf.Variable {
    const v = tf.variable(tf.randomNormal(shape, mean, std, "float32", this.vars.length + 1), true, `${this.prefix}${this.vars.length}`);
    this.vars.push(v);
    return v;
  }
  zeros(shape: number[]): tf.Variable {
    const v = tf.variable(tf.zeros(shape), true, `${this.prefix}${this.vars.length}`);
    this.vars.push(v);
    return v;
  }
}

/**
 * BN with batch statistics (biased variance, eps 1e-5) over every axis but channels of x (+ the preceding conv's
 * bias), then the activation: one fused forward and one backward kernel on the native backend, tf.add + tf.moments +
 * tf.batchNorm + activation elsewhere.
 */
function batchNormTraining(x: tf.Tensor, gamma: tf.Variable, beta: tf.Variable, activation: BatchNormActivation, bias?: tf.Variable): tf.Tensor {
  return fusedBatchNorm(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, { epsilon: 1e-5, activation, alpha: 0.2, bias: bias as tf.Tensor1D | undefined }).y;
}

/** A layer: x -> y with its own parameters. */
type Layer = (x: tf.Tensor) => tf.Tensor;

interface Network {
  readonly params: Params;
  readonly apply: Layer;
}

function network(prefix: string, build: (p: Params) => Layer[]): Network {
  const params = new Params(prefix);
  const layers = build(params);
  return { params, apply: (x) => layers.reduce((h, f) => f(h), x) };
}

/** DCGAN-64 generator and discriminator of dcgan_torch.py (no biases, N(0, 0.02) weights, BN gamma N(1, 0.02)). */
export function dcgan64(ngf: number): { g: Network; d: Network; latent: number[]; image: number[] } {
  const nz = 100, ndf = ngf;
  const g = network("g", (p) => {
    const up = (cin: number, cout: number, out: number, stride: number, pad: "same" | "valid"): Layer => {
      const w = p.normal([4, 4, cout, cin], 0, 0.02);
      return (x) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [x.shape[0]!, out, out, cout], stride, pad);
    };
    const bnRelu = (c: number): Layer => {
      const gamma = p.normal([c], 1, 0.02), beta = p.zeros([c]);
      return (x) => batchNormTraining(x, gamma, beta, "relu");
    };
    return [
      up(nz, ngf * 8, 4, 1, "valid"), bnRelu(ngf * 8), // 4x4
      up(ngf * 8, ngf * 4, 8, 2, "same"), bnRelu(ngf * 4), // 8x8
      up(ngf * 4, ngf * 2, 16, 2, "same"), bnRelu(ngf * 2), // 16x16
      up(ngf * 2, ngf, 32, 2, "same"), bnRelu(ngf), // 32x32
      up(ngf, 3, 64, 2, "same"), (x) => tf.tanh(x), // 64x64x3
    ];
  });
  const d = network("d", (p) => {
    const down = (cin: number, cout: number, stride: number, pad: "same" | "valid"): Layer => {
      const w = p.normal([4, 4, cin, cout], 0, 0.02);
      return (x) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    };
    const bnLeaky = (c: number): Layer => {
      const gamma = p.normal([c], 1, 0.02), beta = p.zeros([c]);
      return (x) => batchNormTraining(x, gamma, beta, "leakyrelu");
    };
    return [
      down(3, ndf, 2, "same"), (x) => tf.leakyRelu(x, 0.2), // 32x32
      down(ndf, ndf * 2, 2, "same"), bnLeaky(ndf * 2), // 16x16
      down(ndf * 2, ndf * 4, 2, "same"), bnLeaky(ndf * 4), // 8x8
      down(ndf * 4, ndf * 8, 2, "same"), bnLeaky(ndf * 8), // 4x4
      down(ndf * 8, 1, 1, "valid"), (x) => tf.reshape(x, [-1]), // 1 logit
    ];
  });
  return { g, d, latent: [1, 1, nz], image: [64, 64, 3] };
}

/**
 * 3D-GAN at 32^3 (Wu et al. 2016, one block fewer), as gan3d_torch.py: biases on, BN, ReLU / LeakyReLU 0.2. A conv's
 * bias goes to the layer after it: folded into the fused batch norm (x + bias normalised), added otherwise.
 */
export function gan3d32(width: number): { g: Network; d: Network; latent: number[]; image: number[] } {
  const nz = 200, w = width;
  type Epilogue = (y: tf.Tensor, bias: tf.Variable) => tf.Tensor;
  const biasThen = (f: (y: tf.Tensor) => tf.Tensor): (() => Epilogue) => () => (y, b) => f(tf.add(y, b));
  const g = network("g", (p) => {
    const up = (cin: number, cout: number, out: number, stride: number, pad: "same" | "valid", epilogue: () => Epilogue): Layer => {
      const k = p.normal([4, 4, 4, cout, cin], 0, 0.02), b = p.zeros([cout]);
      const then = epilogue();
      return (x) => then(tf.conv3dTranspose(x as tf.Tensor5D, k as tf.Tensor5D, [x.shape[0]!, out, out, out, cout], stride, pad), b);
    };
    const bnRelu = (c: number) => (): Epilogue => {
      const gamma = p.normal([c], 1, 0.02), beta = p.zeros([c]);
      return (y, b) => batchNormTraining(y, gamma, beta, "relu", b);
    };
    return [
      up(nz, w * 4, 4, 1, "valid", bnRelu(w * 4)), // 4^3
      up(w * 4, w * 2, 8, 2, "same", bnRelu(w * 2)), // 8^3
      up(w * 2, w, 16, 2, "same", bnRelu(w)), // 16^3
      up(w, 1, 32, 2, "same", biasThen((y) => tf.sigmoid(y))), // 32^3x1
    ];
  });
  const d = network("d", (p) => {
    const down = (cin: number, cout: number, stride: number, pad: "same" | "valid", epilogue: () => Epilogue): Layer => {
      const k = p.normal([4, 4, 4, cin, cout], 0, 0.02), b = p.zeros([cout]);
      const then = epilogue();
      return (x) => then(tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, stride, pad), b);
    };
    const bnLeaky = (c: number) => (): Epilogue => {
      const gamma = p.normal([c], 1, 0.02), beta = p.zeros([c]);
      return (y, b) => batchNormTraining(y, gamma, beta, "leakyrelu", b);
    };
    return [
      down(1, w, 2, "same", biasThen((y) => tf.leakyRelu(y, 0.2))), // 16^3
      down(w, w * 2, 2, "same", bnLeaky(w * 2)), // 8^3
      down(w * 2, w * 4, 2, "same", bnLeaky(w * 4)), // 4^3
      down(w * 4, 1, 1, "valid", biasThen((y) => tf.reshape(y, [-1]))), // 1 logit
    ];
  });
  return { g, d, latent: [1, 1, 1, nz], image: [32, 32, 32, 1] };
}

/**
 * The vanilla MLP GAN of vanilla_gan_torch.py (and @ganflow/models' vanilla): G 100 -> H -> H -> 784 (ReLU, ReLU,
 * tanh), D 784 -> H -> H -> 1 (LeakyReLU 0.2), biases on; each layer one fused matMul + bias + activation, as
 * tfjs-layers' Dense runs it.
 */
export function mlpGan(hidden: number): { g: Network; d: Network; latent: number[]; image: number[] } {
  const nz = 100, h = hidden;
  const dense = (p: Params, cin: number, cout: number, activation: "relu" | "leakyrelu" | "linear"): Layer => {
    const w = p.normal([cin, cout], 0, Math.sqrt(1 / cin)), b = p.zeros([cout]);
    return (x) => tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation, leakyreluAlpha: 0.2 });
  };
  const g = network("g", (p) => [
    dense(p, nz, h, "relu"), dense(p, h, h, "relu"), dense(p, h, 784, "linear"),
    (x) => tf.reshape(tf.tanh(x), [-1, 28, 28, 1]),
  ]);
  const d = network("d", (p) => [
    (x) => tf.reshape(x, [-1, 784]), dense(p, 784, h, "leakyrelu"), dense(p, h, h, "leakyrelu"), dense(p, h, 1, "linear"),
    (x) => tf.reshape(x, [-1]),
  ]);
  return { g, d, latent: [nz], image: [28, 28, 1] };
}

/** mean BCE with logits against a constant label (0 or 1), as torch.nn.BCEWithLogitsLoss. */
function bceWithLogits(logits: tf.Tensor, label: 0 | 1): tf.Scalar {
  // max(x, 0) - x * z + log(1 + exp(-|x|))
  const z = tf.scalar(label);
  return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar;
}

/** A GAN training step bound to its models, optimizers and a fixed real batch; dispose() frees everything. */
export interface GanStep {
  step(): [number, number];
  dispose(): void;
}

/** Builds one D+G training step (BCE, Adam 2e-4 / 0.5 / 0.999 / eps 1e-8) on a random real batch in [-1, 1]. */
export function ganStep(models: { g: Network; d: Network; latent: number[]; image: number[] }, batch: number): GanStep {
  const { g, d } = models;
  const settings = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 };
  const optD = new AdamOptimizer(d.params.vars, settings);
  const optG = new AdamOptimizer(g.params.vars, settings);
  /** One update of `vars` minimising `loss`; returns the loss. */
  const minimize = (opt: AdamOptimizer, loss: () => tf.Scalar, vars: tf.Variable[]): tf.Scalar => {
    const { value, grads } = tf.variableGrads(loss, vars);
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
    return value;
  };
  const real = tf.randomUniform([batch, ...models.image], -1, 1, "float32", 7);
  const latentShape = [batch, ...models.latent];
  return {
    step() {
      const fake = tf.tidy(() => g.apply(tf.randomNormal(latentShape)));
      const lossD = minimize(optD, () => tf.add(bceWithLogits(d.apply(real), 1), bceWithLogits(d.apply(fake), 0)) as tf.Scalar, d.params.vars);
      fake.dispose();
      const lossG = minimize(optG, () => bceWithLogits(d.apply(g.apply(tf.randomNormal(latentShape))), 1), g.params.vars);
      const out: [number, number] = [lossD.dataSync()[0]!, lossG.dataSync()[0]!];
      lossD.dispose();
      lossG.dispose();
      return out;
    },
    dispose() {
      optD.dispose();
      optG.dispose();
      real.dispose();
      for (const v of [...g.params.vars, ...d.params.vars]) v.dispose();
    },
  };
}

/** Runs `f` once (awaited) under tf.profile and prints the kernels by total time (ms), top `limit`, and the wall time. */
export async function printKernelProfile(f: () => void | Promise<void>, limit = 25): Promise<void> {
  const t0 = performance.now();
  const info = await tf.profile(async () => { await f(); return []; });
  const wallMs = performance.now() - t0;
  const byName = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls += 1;
    total += ms;
    byName.set(k.name, e);
  }
  console.log(`kernel profile: ${total.toFixed(0)} ms in kernels of ${wallMs.toFixed(0)} ms wall (${info.kernels.length} kernel calls)`);
  for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, limit)) {
    console.log(`  ${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.calls).padStart(5)} calls  ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`);
  }
  console.log("slowest single calls:");
  const calls = info.kernels.map((k) => ({ k, ms: typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0 }));
  for (const { k, ms } of calls.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
    console.log(`  ${k.name.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms  in ${JSON.stringify(k.inputShapes)} out ${JSON.stringify(k.outputShapes)}`);
  }
}
