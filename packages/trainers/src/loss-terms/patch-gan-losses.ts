import * as tf from "@tensorflow/tfjs-core"
import { bceWithLogits } from "./adversarial-losses.ts"

/**
 * pix2pix/CycleGAN's adversarial objective over a PatchGAN's logits (pytorch-CycleGAN-and-pix2pix `GANLoss`):
 * every patch logit is a real/fake decision, averaged over batch and patches.
 * - `"vanilla"` (pix2pix, the cGAN loss): BCE-with-logits against 1 (real) or 0 (fake)
 * - `"lsgan"` (CycleGAN, Mao et al. 2017): mean squared error against 1 or 0
 */
export type PatchGanMode = "vanilla" | "lsgan"

/** The criterion `GANLoss(mode)(logits, targetIsReal)`: mean over all of `logits` `[B, P, P, 1]`. */
export const patchGanCriterion = (mode: PatchGanMode, logits: tf.Tensor, targetIsReal: boolean): tf.Scalar =>
  mode === "vanilla"
    ? bceWithLogits(logits, targetIsReal ? 1 : 0)
    : tf.tidy(() => tf.mean(tf.square(tf.sub(logits, targetIsReal ? 1 : 0))) as tf.Scalar)

/**
 * Generator side: `GANLoss(D(fake), True)` — vanilla: mean softplus(-f); lsgan: mean((f - 1)²).
 * (The reference's G objective; no ½.)
 */
export const patchGanGeneratorLoss = (mode: PatchGanMode, fakeLogits: tf.Tensor): tf.Scalar => patchGanCriterion(mode, fakeLogits, true)

/**
 * Discriminator side, halved as the reference does to slow D relative to G:
 * ½ · (GANLoss(D(real), True) + GANLoss(D(fake), False)) — vanilla: ½(mean softplus(-r) + mean softplus(f));
 * lsgan: ½(mean((r - 1)²) + mean(f²)).
 */
export const patchGanDiscriminatorLoss = (mode: PatchGanMode, realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mul(0.5, tf.add(patchGanCriterion(mode, realLogits, true), patchGanCriterion(mode, fakeLogits, false))) as tf.Scalar)
