import * as tf from "@tensorflow/tfjs-layers"

/**
 * A deterministic stream of per-layer seeds derived from one model seed, so that the same seed always gives
 * the same initial weights on every backend (tfjs initializers draw their numbers on the JS side).
 */
export interface LayerSeeds {
  /** The seed for the next layer's initializer (a uint32). */
  readonly next: () => number
}

/** The seed of a model's initial weights, which `buildGan` takes apart from the architecture's options. */
export interface SeedOption {
  /** Seed of all initial weights (default 0). */
  readonly seed?: number
}

/** Creates the per-layer seed stream for one model; `seed` is any integer. */
export const layerSeeds = (seed: number): LayerSeeds => {
  let state = seed >>> 0
  return {
    next: () => {
      // splitmix32 step: well-spread seeds even for consecutive model seeds
      state = (state + 0x9e3779b9) >>> 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    },
  }
}

/** The DCGAN paper's weight init: N(0, 0.02) for conv / dense kernels. */
export const normal002 = (seeds: LayerSeeds) => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seeds.next() })

/** The DCGAN paper's batch-norm scale init: gamma ~ N(1, 0.02). */
export const gammaNormal = (seeds: LayerSeeds) => tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seeds.next() })

/** Keras' default kernel init (Glorot uniform), seeded. */
export const glorot = (seeds: LayerSeeds) => tf.initializers.glorotUniform({ seed: seeds.next() })
