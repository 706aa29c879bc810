import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { beforeAll, describe, expect, it } from "vitest"
import "../src/register-gradients.ts"
import { unavailable, type BackendCandidate } from "../src/backend-candidate.ts"
import { tileGradientConfig } from "../src/gradients/tile-gradient.ts"
import { initBackend } from "../src/init-backend.ts"
import { cpuCandidate } from "../src/probes/cpu-candidate.ts"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

/** The gradient tfjs-core ships: one slice of dy per repetition, added up (what ours replaces). */
const slicedTileGradient = (dy: tf.Tensor, x: tf.Tensor, reps: number[]): tf.Tensor => {
  let grad = tf.zerosLike(x)
  const index = (flat: number) => reps.map((_, i) => Math.floor(flat / reps.slice(i + 1).reduce((a, b) => a * b, 1)) % reps[i]!)
  for (let r = 0; r < reps.reduce((a, b) => a * b, 1); r++) {
    const at = index(r)
    grad = tf.add(grad, tf.slice(dy, at.map((k, i) => k * x.shape[i]!), x.shape))
  }
  return grad
}

describe("Tile gradient (reshape + sum)", () => {
  it("equals the slice-per-repetition gradient for ranks 1-4 and mixed repetitions", () => {
    for (const [shape, reps] of [[[5], [3]], [[2, 3], [4, 1]], [[2, 1, 3], [1, 5, 2]], [[2, 1, 1, 3], [1, 4, 6, 1]]] as const) {
      const x = tf.randomNormal([...shape], 0, 1, "float32", 1)
      const dy = tf.randomNormal(shape.map((s, i) => s * reps[i]!), 0, 1, "float32", 2)
      const ours = tileGradientConfig.gradFunc(dy, [x], { reps: [...reps] } as never) as { x: () => tf.Tensor }
      const got = ours.x().dataSync()
      const want = slicedTileGradient(dy, x, [...reps]).dataSync()
      expect(got.length).toBe(want.length)
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-5)
    }
  })

  it("is what tf.grad uses: a layer-norm-style tile over 64x64 costs a handful of kernels, not one slice per pixel", () => {
    const x = tf.randomNormal([2, 1, 1, 8])
    const counts = new Map<string, number>()
    const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown }
    const original = engine.runKernel.bind(engine)
    engine.runKernel = (name: string, ...rest: unknown[]) => {
      counts.set(name, (counts.get(name) ?? 0) + 1)
      return original(name, ...rest)
    }
    try {
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.tile(v, [1, 64, 64, 1]))))(x)
      expect(g.dataSync()[0]).toBeCloseTo(2 * 64 * 64 * x.dataSync()[0]!, 2)
    } finally {
      engine.runKernel = original
    }
    expect(counts.get("Slice") ?? 0).toBe(0)
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBeLessThan(30)
  })

  it("is ours again after backend selection, when a probe loaded tfjs' own gradients over it", async () => {
    // probing tfjs-node loads @tensorflow/tfjs, whose bundle registers every tfjs gradient again on import (the
    // WGAN-GP critic step then took ~25x longer); this probe does the same to Tile's
    const original = tf.getGradient("Tile")!
    const tfjsLikeProbe: BackendCandidate = {
      name: "tfjs-node",
      activate: async () => {
        tf.registerGradient({ ...original, gradFunc: () => ({ x: () => tf.scalar(NaN) }) })
        return unavailable("loaded @tensorflow/tfjs, then failed")
      },
    }
    await initBackend({ backend: "auto" }, [tfjsLikeProbe, cpuCandidate])
    expect(tf.getGradient("Tile")!.gradFunc).toBe(tileGradientConfig.gradFunc)
  })
})
