/**
 * Quality of the `vanilla-gan-mnist` default (issue 19's bars): runs `npx ganflow run vanilla-gan-mnist [args]`,
 * then judges 1,000 samples of the final generator with a LeNet that this script trains on digits the run never
 * used for its classifier (built-in digits of another seed, or the MNIST folder given with `--set data.dir=…`),
 * kept under `.ganflow/bench/` so reruns reuse it. Prints its held-out real accuracy (bar ≥ 98%), the share of
 * samples it classifies with confidence ≥ 0.9 (bar ≥ 90%), each class's share (bar 5-15%), salt noise (isolated
 * bright pixels per image, generated vs real) and the run's FID/IS with their held-out floors.
 *
 *   npx tsx bench/quality-vanilla-gan-mnist.ts                                          # built-in digits
 *   npx tsx bench/quality-vanilla-gan-mnist.ts --set data.dir=../shared/datasets/mnist  # MNIST t10k
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { initBackend } from "../packages/backend/src/index.ts"
import { generateDigits, readMnist, SeededRandom } from "../packages/data/src/index.ts"
import { buildMnistLenet, trainMnistClassifier } from "../packages/metrics/src/index.ts"
import { fileSystemModelLoader, fileSystemModelSaver } from "../packages/models/src/index.ts" // also registers the custom layers a generator may use
import { sampleLatents } from "../packages/trainers/src/index.ts"
import { check, passThroughArgs, runPipelineDefault, workspaceRoot } from "./quality-run.ts"

const SAMPLES = 1000
const args = passThroughArgs()
const run = runPipelineDefault("vanilla-gan-mnist", args)
await initBackend({ backend: "auto", threads: 2 })

// the judge's digits: [N, 28, 28, 1] in [0, 1] with labels; the last 2,000 are its held-out test set
const dataDir = args.flatMap((a) => /^data\.dir=(.+)$/.exec(a)?.[1] ?? []).map((d) => d.replace(/^"|"$/g, ""))[0]
const judgeData = (): { images: Float32Array; labels: Int32Array; source: string } => {
  if (dataDir === undefined) {
    const ds = generateDigits({ count: 10000, seed: 1000, size: 28 })
    return { images: Float32Array.from(ds.data, (v) => v / 255), labels: Int32Array.from(ds.labels!), source: "built-in digits, seed 1000" }
  }
  const dir = resolve(workspaceRoot, dataDir)
  const prefix = existsSync(join(dir, "train-images-idx3-ubyte.gz")) || existsSync(join(dir, "train-images-idx3-ubyte")) ? "train" : "t10k"
  const gz = existsSync(join(dir, `${prefix}-images-idx3-ubyte.gz`)) ? ".gz" : ""
  const set = readMnist(join(dir, `${prefix}-images-idx3-ubyte${gz}`), join(dir, `${prefix}-labels-idx1-ubyte${gz}`))
  return { images: Float32Array.from(set.images.data, (v) => v / 255), labels: Int32Array.from(set.labels), source: `${dir} (${prefix})` }
}
const data = judgeData()
const n = data.labels.length
const test = 2000
const judgeDir = join(workspaceRoot, ".ganflow", "bench", dataDir === undefined ? "judge-lenet-builtin" : `judge-lenet-${dataDir.replace(/[^A-Za-z0-9]+/g, "_")}`)
let judge: tfl.LayersModel
if (existsSync(join(judgeDir, "model.json"))) judge = await tfl.loadLayersModel(fileSystemModelLoader(judgeDir))
else {
  judge = buildMnistLenet(7)
  const train = tf.tensor4d(data.images.subarray(0, (n - test) * 784), [n - test, 28, 28, 1])
  await trainMnistClassifier(judge, train, data.labels.subarray(0, n - test), { steps: 2000, batchSize: 64, learningRate: 1e-3, seed: 7 })
  train.dispose()
  mkdirSync(judgeDir, { recursive: true })
  await judge.save(fileSystemModelSaver(judgeDir))
}
const probabilities = (images: tf.Tensor4D): Float32Array => {
  const p = tf.tidy(() => tf.softmax(judge.predict(images) as tf.Tensor2D))
  const out = p.dataSync() as Float32Array
  p.dispose()
  return out
}
const testImages = tf.tensor4d(data.images.subarray((n - test) * 784), [test, 28, 28, 1])
const testProbs = probabilities(testImages)
let correct = 0
let realConfident = 0
for (let i = 0; i < test; i++) {
  const row = testProbs.subarray(i * 10, i * 10 + 10)
  const best = Math.max(...row)
  if (row.indexOf(best) === data.labels[n - test + i]) correct++
  if (best >= 0.9) realConfident++
}
console.log(`judge: LeNet (seed 7) trained on ${n - test} digits of ${data.source}, tested on the other ${test}`)
console.log(`real held-out digits the judge reads with confidence >= 0.9: ${((100 * realConfident) / test).toFixed(1)}% (the ceiling for generated ones)`)

// 1,000 samples of the final generator (seeded standard-normal latents), in [0, 1]
const generator = await tfl.loadLayersModel(fileSystemModelLoader(join(run.dirOf("train"), "generator")))
const latentDim = generator.inputs[0]!.shape[1] as number
const z = sampleLatents(new SeededRandom(12345), SAMPLES, latentDim)
const samples = tf.tidy(() => tf.div(tf.add(generator.predict(z) as tf.Tensor4D, 1), 2)) as tf.Tensor4D
const sampleProbs = probabilities(samples)
const counts = new Array<number>(10).fill(0)
let confident = 0
for (let i = 0; i < SAMPLES; i++) {
  const row = Array.from(sampleProbs.subarray(i * 10, i * 10 + 10))
  const best = Math.max(...row)
  counts[row.indexOf(best)]!++
  if (best >= 0.9) confident++
}

/** Isolated bright pixels per image: > 0.5 with all 8 neighbours < 0.2 (salt noise; clean strokes have none). */
const saltPerImage = (images: tf.Tensor4D, count: number): number => {
  const v = images.dataSync()
  let salt = 0
  for (let k = 0; k < count; k++) {
    const at = (y: number, x: number) => (y < 0 || y > 27 || x < 0 || x > 27 ? 0 : v[k * 784 + y * 28 + x]!)
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        if (at(y, x) <= 0.5) continue
        let lonely = true
        for (let dy = -1; dy <= 1 && lonely; dy++) for (let dx = -1; dx <= 1; dx++) if ((dy !== 0 || dx !== 0) && at(y + dy, x + dx) >= 0.2) lonely = false
        if (lonely) salt++
      }
  }
  return salt / count
}

const fid = run.metricsOf("metrics")
const metric = (prefix: string) => Object.entries(fid).find(([k]) => k.startsWith(`${prefix}@`))?.[1] ?? NaN
console.log(`run metrics: FID ${metric("fid").toFixed(2)} (floor ${metric("fid-floor").toFixed(2)}), IS ${metric("is").toFixed(2)} (floor ${metric("is-floor").toFixed(2)}), KID ${metric("kid").toExponential(2)} (floor ${metric("kid-floor").toExponential(2)})`)
console.log(`class shares: ${counts.map((c, d) => `${d}:${((100 * c) / SAMPLES).toFixed(1)}%`).join(" ")}`)
const results = [
  check("judge held-out real accuracy", correct / test, correct / test >= 0.98, ">= 0.98"),
  check("samples with confidence >= 0.9", confident / SAMPLES, confident / SAMPLES >= 0.9, ">= 0.90"),
  check("smallest class share", Math.min(...counts) / SAMPLES, Math.min(...counts) / SAMPLES >= 0.05, ">= 0.05"),
  check("largest class share", Math.max(...counts) / SAMPLES, Math.max(...counts) / SAMPLES <= 0.15, "<= 0.15"),
  check("salt pixels per sample", saltPerImage(samples, SAMPLES), saltPerImage(samples, SAMPLES) <= Math.max(0.05, 2 * saltPerImage(testImages, test)), `<= max(0.05, 2x real ${saltPerImage(testImages, test).toFixed(3)})`),
  check("wall seconds", run.wallSeconds, run.wallSeconds <= 300, "<= 300 on 2 cores (first run)"),
]
tf.dispose([samples, z, testImages])
generator.dispose()
judge.dispose()
console.log(`look at: ${join(run.dirOf("samples"), "grid.png")} and ${join(run.dirOf("curves"), "fid.png")}`)
console.log(results.every(Boolean) ? "all bars met" : "some bars MISSED")
