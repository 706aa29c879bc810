/**
 * What one WGAN-GP training step costs on this machine, to size the `wgan-gp-anime` default: the CPU time (all
 * threads, `process.cpuUsage`) and wall time of a critic update with the gradient penalty (double backprop through
 * the critic), of the same update without it, and of a generator update, for a DCGAN generator against a WGAN
 * critic at the given size; then the slowest kernels of the penalised critic update (`tf.profile`).
 *
 *   npx tsx bench/wgan-gp-step-cost.ts [--resolution 32] [--ngf 32] [--ndf 32] [--batch 64] [--norm layer|none] [--reps 3]
 */
import { parseArgs } from "node:util"
import * as tf from "@tensorflow/tfjs-core"
import { initBackend } from "../packages/backend/src/index.ts"
import { buildGan, trainableVariablesOf } from "../packages/models/src/index.ts"
import { gradientPenalty } from "../packages/trainers/src/loss-terms/gradient-penalty.ts"

const { values } = parseArgs({
  options: {
    resolution: { type: "string", default: "32" },
    ngf: { type: "string", default: "32" },
    ndf: { type: "string", default: "32" },
    batch: { type: "string", default: "64" },
    norm: { type: "string", default: "layer" },
    reps: { type: "string", default: "3" },
    backend: { type: "string", default: "auto" },
  },
})
const resolution = Number(values.resolution) as 32 | 64
const batch = Number(values.batch)
const info = await initBackend({ backend: values.backend as "auto", threads: 2 })
const models = buildGan(
  { architecture: "dcgan", options: { resolution, ngf: Number(values.ngf), ndf: Number(values.ndf) }, critic: values.norm === "none" ? "wgan" : "wgan-layer-norm" },
  0,
)
const { generator, discriminator: critic } = models
const criticVars = trainableVariablesOf(critic)
const generatorVars = trainableVariablesOf(generator)
const criticOptimizer = tf.train.adam(1e-4, 0, 0.9)
const generatorOptimizer = tf.train.adam(1e-4, 0, 0.9)
const real = tf.randomUniform([batch, resolution, resolution, 3], -1, 1)
const z = tf.randomNormal([batch, models.latentDim])
const epsilon = tf.randomUniform([batch]) as tf.Tensor1D
const score = (x: tf.Tensor) => critic.apply(x, { training: true }) as tf.Tensor

const criticStep = (penalty: boolean) => () =>
  tf.tidy(() => {
    const fake = tf.keep(generator.apply(z, { training: true }) as tf.Tensor)
    criticOptimizer.minimize(() => {
      const wasserstein = tf.sub(tf.mean(score(fake)), tf.mean(score(real)))
      return (penalty ? tf.add(wasserstein, gradientPenalty(score, real, fake, epsilon, 10)) : wasserstein) as tf.Scalar
    }, false, criticVars)
    tf.dispose(fake)
  })
const generatorStep = () => tf.tidy(() => void generatorOptimizer.minimize(() => tf.neg(tf.mean(score(generator.apply(z, { training: true }) as tf.Tensor))) as tf.Scalar, false, generatorVars))

/** Median CPU ms (all threads) and wall ms of `reps` runs, after one warm-up unless `warm` (already run once). */
const time = async (name: string, step: () => void, warm = false) => {
  if (!warm) step()
  await tf.ready()
  const cpu: number[] = []
  const wall: number[] = []
  for (let i = 0; i < Number(values.reps); i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    step()
    await tf.ready()
    wall.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  console.log(`${name.padEnd(34)} cpu ${median(cpu).toFixed(0).padStart(6)} ms   wall ${median(wall).toFixed(0).padStart(6)} ms`)
  return median(cpu)
}

console.log(`# backend ${info.name}, ${resolution}x${resolution}, ngf ${values.ngf}, ndf ${values.ndf}, batch ${batch}, critic norm ${values.norm}`)
// the kernels of one penalised critic step (also its warm-up): count and wall ms per kernel name
const engine = tf.engine()
const runKernel = engine.runKernel.bind(engine)
const kernels = new Map<string, { count: number; ms: number }>()
engine.runKernel = ((name: string, ...rest: unknown[]) => {
  const t0 = performance.now()
  const out = (runKernel as unknown as (...a: unknown[]) => unknown)(name, ...rest)
  const k = kernels.get(name) ?? { count: 0, ms: 0 }
  kernels.set(name, { count: k.count + 1, ms: k.ms + performance.now() - t0 })
  return out
}) as unknown as typeof engine.runKernel
criticStep(true)()
engine.runKernel = runKernel
const slowest = [...kernels].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10)
console.log(`kernels of the penalised critic step (first run): ${[...kernels.values()].reduce((n, k) => n + k.count, 0)} calls; slowest (wall ms, calls): ${slowest.map(([n, k]) => `${n} ${k.ms.toFixed(0)} (${k.count})`).join(", ")}`)
const withPenalty = await time("critic step + gradient penalty", criticStep(true), true)
const without = await time("critic step, no penalty", criticStep(false))
const g = await time("generator step", generatorStep)
console.log(`penalty / plain critic step: ${(withPenalty / without).toFixed(2)}x; one generator step with 5 critic steps: ${((5 * withPenalty + g) / 1000).toFixed(2)} s CPU`)
tf.dispose([real, z, epsilon])
