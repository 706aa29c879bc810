// throwaway feasibility experiment (not committed): GAN-CLS+INT at 32 px on synthetic faces with attribute one-hot "embeddings"
import { initBackend } from "@ganflow/backend"
import { generateAnimeFacesWithAttributes, hairColorNames, eyeColorNames, hairStyles, bangsKinds, mouthKinds, accessoryKinds, SeededRandom } from "@ganflow/data"
import { textConditionalGan, trainableVariablesOf } from "@ganflow/models"
import { AdamOptimizer } from "@ganflow/trainers"
import { matchingAwareDiscriminatorLoss, interpolateEmbeddings, interpolatedTextGeneratorLoss, rolledEmbeddings } from "../packages/trainers/src/loss-terms/matching-aware-loss.ts"
import { bceWithLogits } from "../packages/trainers/src/adversarial-losses.ts"
import { imagesFromFloats } from "@ganflow/viz"
import { renderCaptionedRows } from "./stages/text/captioned-rows.ts"
import * as tf from "@tensorflow/tfjs-core"
import { writeFileSync } from "node:fs"

const STEPS = Number(process.env.STEPS ?? 600), B = 64, N = 5000, W = Number(process.env.W ?? 32)
const info = await initBackend({ backend: "auto", threads: 2 })
console.log(info.name)
const { dataset, attributes } = generateAnimeFacesWithAttributes({ count: N, seed: 1, size: 32 })
const groups = [hairColorNames, eyeColorNames, hairStyles] as const
const E = groups.reduce((s, g) => s + g.length, 0)
const embed = (a: (typeof attributes)[number]) => { const v = new Float32Array(E); let o = 0; v[o + hairColorNames.indexOf(a.hairColor)] = 1; o += hairColorNames.length; v[o + eyeColorNames.indexOf(a.eyeColor)] = 1; o += eyeColorNames.length; v[o + hairStyles.indexOf(a.hairStyle)] = 1; return v }
const embs = attributes.map(embed)
const m = textConditionalGan({ resolution: 32, ngf: W, ndf: W, embeddingDim: E })
const gVars = trainableVariablesOf(m.generator), dVars = trainableVariablesOf(m.discriminator)
const settings = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 }
const gOpt = new AdamOptimizer(gVars, settings), dOpt = new AdamOptimizer(dVars, settings)
const rnd = new SeededRandom(0)
const batch = () => {
  const idx = Array.from({ length: B }, () => rnd.int(N))
  const px = new Float32Array(B * 32 * 32 * 3); const e = new Float32Array(B * E)
  idx.forEach((k, i) => { for (let j = 0; j < 32 * 32 * 3; j++) px[i * 3072 + j] = dataset.data[k * 3072 + j]! / 127.5 - 1; e.set(embs[k]!, i * E) })
  // wrong text: another face's attributes with a different hair colour
  const w = new Float32Array(B * E)
  idx.forEach((k, i) => { let o; do { o = rnd.int(N) } while (attributes[o]!.hairColor === attributes[k]!.hairColor); w.set(embs[o]!, i * E) })
  return { images: tf.tensor4d(px, [B, 32, 32, 3]), text: tf.tensor2d(e, [B, E]), wrong: tf.tensor2d(w, [B, E]) }
}
const t0 = Date.now()
for (let step = 0; step < STEPS; step++) {
  const b = batch()
  const z = tf.randomNormal([B, 100], 0, 1, "float32", rnd.int(1e9)); const z2 = tf.randomNormal([B, 100], 0, 1, "float32", rnd.int(1e9))
  const fake = tf.tidy(() => m.generator.apply([z, b.text], { training: true }) as tf.Tensor)
  const d = tf.variableGrads(() => {
    const s = (x: tf.Tensor, t: tf.Tensor) => (m.discriminator.apply([x, t], { training: true }) as tf.Tensor[])[0]!
    return matchingAwareDiscriminatorLoss(s(b.images, b.text), s(b.images, b.wrong), s(fake, b.text))
  }, dVars)
  dOpt.applyGradients(d.grads); tf.dispose(Object.values(d.grads))
  const g = tf.variableGrads(() => {
    const s = (x: tf.Tensor, t: tf.Tensor) => (m.discriminator.apply([x, t], { training: true }) as tf.Tensor[])[0]!
    const f = m.generator.apply([z, b.text], { training: true }) as tf.Tensor
    const ti = interpolateEmbeddings(b.text as tf.Tensor2D, rolledEmbeddings(b.text as tf.Tensor2D))
    const fi = m.generator.apply([z2, ti], { training: true }) as tf.Tensor
    return tf.add(bceWithLogits(s(f, b.text), 1), interpolatedTextGeneratorLoss(s(fi, ti))) as tf.Scalar
  }, gVars)
  gOpt.applyGradients(g.grads); tf.dispose(Object.values(g.grads))
  if (step % 50 === 0) console.log(step, d.value.dataSync()[0]!.toFixed(3), g.value.dataSync()[0]!.toFixed(3), ((Date.now() - t0) / 1000).toFixed(0) + "s")
  tf.dispose([d.value, g.value, fake, z, z2, b.images, b.text, b.wrong])
}
// grid: one row per hair colour (eye blue, long hair), 8 z each
const rows = []
for (const hc of hairColorNames) {
  const a = { ...attributes[0]!, hairColor: hc, eyeColor: "blue" as const, hairStyle: "long" as const }
  const e = tf.tensor2d(Array.from({ length: 8 }, () => Array.from(embed(a))))
  const z = tf.randomNormal([8, 100], 0, 1, "float32", 7)
  const x = m.generator.predict([z, e]) as tf.Tensor
  rows.push({ images: imagesFromFloats(await x.data(), [8, 32, 32, 3], "tanh"), caption: `${hc} hair, blue eyes, long` })
  tf.dispose([e, z, x])
}
writeFileSync(`/tmp/i15g/exp-${STEPS}-${W}.png`, await renderCaptionedRows(rows))
console.log("done", ((Date.now() - t0) / 1000).toFixed(0) + "s", tf.memory().numTensors)
