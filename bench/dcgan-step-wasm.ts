/**
 * The full DCGAN-64 training step (one D update on real + detached fake, one G update through D; BCE with
 * logits; Adam 2e-4 / 0.5 / 0.999) on wasm with this package's kernels, against the PyTorch peer with the same
 * graph (`../shared/peers/dcgan_torch.py`; Debian's PyTorch 1.13, OMP_WAIT_POLICY=PASSIVE, best of 1 and 2
 * threads), in the same run. Target: >= 0.3x PyTorch.
 *
 *   npx tsx bench/dcgan-step-wasm.ts [--ngf 64,32] [--batch 64] [--steps 3] [--threads 2]
 *
 * The machine is shared with other agents: medians are noisy; read the ratio, measured back to back.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import * as tf from "@tensorflow/tfjs-core"
import { initBackend } from "../packages/backend/src/index.ts"

const flag = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1]! : fallback
}
const ngfs = flag("ngf", "64,32").split(",").map(Number)
const batch = Number(flag("batch", "64"))
const steps = Number(flag("steps", "3"))
const threads = Number(flag("threads", "2"))
const shared = process.env["GANFLOW_SHARED"] ?? resolve(fileURLToPath(new URL("..", import.meta.url)), "../shared")
const peer = resolve(shared, "peers/dcgan_torch.py")
if (!existsSync(peer)) throw new Error(`PyTorch peer not found at ${peer} (set GANFLOW_SHARED)`)

type Layer = (x: tf.Tensor4D) => tf.Tensor4D

/** Trainable parameters of one network, in creation order. */
class Parameters {
  readonly variables: Array<tf.Variable> = []
  normal(shape: Array<number>, mean: number, std: number): tf.Variable {
    const v = tf.variable(tf.randomNormal(shape, mean, std, "float32", this.variables.length + 11))
    this.variables.push(v)
    return v
  }
  zeros(shape: Array<number>): tf.Variable {
    const v = tf.variable(tf.zeros(shape))
    this.variables.push(v)
    return v
  }
}

/** BatchNorm2d in training mode: batch statistics, biased variance, eps 1e-5 (as PyTorch). */
const batchNorm = (p: Parameters, channels: number): Layer => {
  const gamma = p.normal([channels], 1, 0.02)
  const beta = p.zeros([channels])
  return (x) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2])
    return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D
  }
}

/** ConvTranspose2d(k 4, no bias) to `size` x `size` x `cout`; stride 1 'valid' for 1 -> 4, else stride 2 'same'. */
const up = (p: Parameters, cin: number, cout: number, size: number): Layer => {
  const w = p.normal([4, 4, cout, cin], 0, 0.02)
  const first = size === 4
  return (x) => tf.conv2dTranspose(x, w as tf.Tensor4D, [x.shape[0], size, size, cout], first ? 1 : 2, first ? "valid" : "same")
}

/** Conv2d(k 4, no bias): stride 2 'same' (PyTorch padding 1), or stride 1 'valid' for the last 4 -> 1. */
const down = (p: Parameters, cin: number, cout: number, last = false): Layer => {
  const w = p.normal([4, 4, cin, cout], 0, 0.02)
  return (x) => tf.conv2d(x, w as tf.Tensor4D, last ? 1 : 2, last ? "valid" : "same")
}

const sequence = (layers: Array<Layer>): Layer => (x) => layers.reduce((h, f) => f(h), x)

/** Generator and discriminator of dcgan_torch.py, channels last. */
const dcgan = (ngf: number) => {
  const nz = 100
  const ndf = ngf
  const gp = new Parameters()
  const relu: Layer = (x) => tf.relu(x)
  const leaky: Layer = (x) => tf.leakyRelu(x, 0.2)
  const generator = sequence([
    up(gp, nz, ngf * 8, 4), batchNorm(gp, ngf * 8), relu, // 4x4
    up(gp, ngf * 8, ngf * 4, 8), batchNorm(gp, ngf * 4), relu, // 8x8
    up(gp, ngf * 4, ngf * 2, 16), batchNorm(gp, ngf * 2), relu, // 16x16
    up(gp, ngf * 2, ngf, 32), batchNorm(gp, ngf), relu, // 32x32
    up(gp, ngf, 3, 64), (x) => tf.tanh(x), // 64x64x3
  ])
  const dp = new Parameters()
  const discriminator = sequence([
    down(dp, 3, ndf), leaky, // 32x32
    down(dp, ndf, ndf * 2), batchNorm(dp, ndf * 2), leaky, // 16x16
    down(dp, ndf * 2, ndf * 4), batchNorm(dp, ndf * 4), leaky, // 8x8
    down(dp, ndf * 4, ndf * 8), batchNorm(dp, ndf * 8), leaky, // 4x4
    down(dp, ndf * 8, 1, true), // 1x1x1 logit
  ])
  return { nz, generator, discriminator, gVars: gp.variables, dVars: dp.variables }
}

/** Mean binary cross-entropy with logits against a constant label, as torch.nn.BCEWithLogitsLoss. */
const bceWithLogits = (logits: tf.Tensor, label: 0 | 1): tf.Scalar =>
  tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, label)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar

const median = (xs: Array<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Images per second of the tfjs step on wasm (median of `steps` after one warm-up). */
const tfjsImagesPerSecond = (ngf: number): { imagesPerSecond: number; losses: [number, number] } => {
  const { nz, generator, discriminator, gVars, dVars } = dcgan(ngf)
  const optimizerD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8)
  const optimizerG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8)
  const real = tf.randomUniform([batch, 64, 64, 3], -1, 1, "float32", 3) as tf.Tensor4D
  const step = (): [number, number] => {
    const fake = tf.tidy(() => generator(tf.randomNormal([batch, 1, 1, nz]) as tf.Tensor4D))
    const lossD = optimizerD.minimize(
      () => tf.add(bceWithLogits(discriminator(real), 1), bceWithLogits(discriminator(fake), 0)) as tf.Scalar,
      true,
      dVars,
    )!
    fake.dispose()
    const lossG = optimizerG.minimize(
      () => bceWithLogits(discriminator(generator(tf.randomNormal([batch, 1, 1, nz]) as tf.Tensor4D)), 1),
      true,
      gVars,
    )!
    const losses: [number, number] = [lossD.dataSync()[0]!, lossG.dataSync()[0]!]
    tf.dispose([lossD, lossG])
    return losses
  }
  step()
  const before = tf.memory().numTensors
  const ms: Array<number> = []
  let losses: [number, number] = [0, 0]
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    losses = step()
    ms.push(performance.now() - t0)
  }
  if (tf.memory().numTensors !== before) throw new Error(`tensor leak: ${before} -> ${tf.memory().numTensors}`)
  tf.dispose([real, ...gVars, ...dVars])
  optimizerD.dispose()
  optimizerG.dispose()
  return { imagesPerSecond: (batch * 1000) / median(ms), losses }
}

/** PyTorch's images per second with `torchThreads` threads (the peer prints a Python dict). */
const torchImagesPerSecond = (ngf: number, torchThreads: number): number => {
  const output = execFileSync("/usr/bin/python3", [peer, String(ngf), String(batch), String(steps), String(torchThreads)], {
    env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" },
    encoding: "utf8",
  })
  const match = /'img_per_s': ([0-9.]+)/.exec(output)
  if (match === null) throw new Error(`unexpected peer output: ${output}`)
  return Number(match[1])
}

const info = await initBackend({ backend: "wasm", threads })
console.log(`DCGAN-64 D+G step, batch ${batch}, ${steps} timed steps; wasm ${info.threads} threads (${info.isa})`)
for (const ngf of ngfs) {
  const ours = tfjsImagesPerSecond(ngf)
  const torch1 = torchImagesPerSecond(ngf, 1)
  const torch2 = torchImagesPerSecond(ngf, 2)
  const torchBest = Math.max(torch1, torch2)
  console.log(
    `ngf ${ngf}: wasm ${ours.imagesPerSecond.toFixed(2)} img/s (losses D ${ours.losses[0].toFixed(3)}, G ${ours.losses[1].toFixed(3)}); ` +
      `torch 1t ${torch1} / 2t ${torch2} img/s; ratio wasm/torch-best = ${(ours.imagesPerSecond / torchBest).toFixed(2)}x (target 0.30x)`,
  )
}
