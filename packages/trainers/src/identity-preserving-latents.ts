import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { identityPreservingLoss } from "./loss-terms/latent-reconstruction-loss.ts"

/** Inputs of {@link optimiseIdentityLatents}. */
export interface IdentityLatentProblem {
  /** Age-cGAN's G: `[z [B, d], age [B, 1]]` -> images in [-1, 1]. */
  readonly generator: tfl.LayersModel
  /** Age-cGAN's E: images -> `[B, d]` (the starting point z₀ = E(x)). */
  readonly encoder: tfl.LayersModel
  /** Face embedding FR: images in [-1, 1] -> `[B, e]` (e.g. the `features` of the identity CNN). */
  readonly embed: (images: tf.Tensor4D) => tf.Tensor2D
  /** The faces to reconstruct, `[B, H, W, 3]` in [-1, 1]. */
  readonly images: tf.Tensor4D
  /** Their age groups y₀, `[B, 1]`. */
  readonly ages: tf.Tensor2D
  /** Adam steps on z (0: keep E(x)). */
  readonly steps: number
  /** Adam learning rate on z. */
  readonly learningRate: number
}

/** Result of {@link optimiseIdentityLatents}; the caller owns `latents`. */
export interface IdentityLatents {
  /** z*, `[B, d]`. */
  readonly latents: tf.Tensor2D
  /** The identity-preserving loss at E(x) and after the last step. */
  readonly initialLoss: number
  readonly finalLoss: number
}

/**
 * Age-cGAN's identity-preserving latent optimisation (Antipov et al. 2017, §3.2, eq. 5): starting from z₀ = E(x),
 * minimise ‖FR(x) − FR(G(z, y₀))‖²₂ over z with Adam (G, E and FR frozen), so that G(z*, y) re-ages the face while
 * keeping who it is. Runs `steps` updates; tensors are freed (no growth of tf.memory().numTensors but the result).
 */
export const optimiseIdentityLatents = async (p: IdentityLatentProblem): Promise<IdentityLatents> => {
  const reference = tf.tidy(() => p.embed(p.images))
  const start = tf.tidy(() => p.encoder.predict(p.images) as tf.Tensor2D)
  const z = tf.variable(start, true)
  start.dispose()
  const loss = () => identityPreservingLoss(p.embed(p.generator.apply([z, p.ages], { training: false }) as tf.Tensor4D), reference)
  const optimizer = tf.train.adam(p.learningRate)
  try {
    const initial = tf.tidy(loss)
    const initialLoss = (await initial.data())[0]!
    initial.dispose()
    let finalLoss = initialLoss
    for (let step = 0; step < p.steps; step++) {
      const value = optimizer.minimize(loss, true, [z])!
      finalLoss = (await value.data())[0]!
      value.dispose()
    }
    if (p.steps > 0) {
      const last = tf.tidy(loss)
      finalLoss = (await last.data())[0]!
      last.dispose()
    }
    return { latents: tf.clone(z) as tf.Tensor2D, initialLoss, finalLoss }
  } finally {
    optimizer.dispose()
    z.dispose()
    reference.dispose()
  }
}
