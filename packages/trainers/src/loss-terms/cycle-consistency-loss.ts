import * as tf from "@tensorflow/tfjs-core"
import { l1DistanceLoss } from "./l1-distance-loss.ts"

/** CycleGAN's λ of the cycle-consistency loss (Zhu et al. 2017, §7: λ = 10). */
export const CYCLE_LAMBDA = 10
/** CycleGAN's identity weight relative to λ (the reference's `--lambda_identity 0.5`: 0.5·λ). */
export const IDENTITY_FRACTION = 0.5

/**
 * Cycle consistency (Zhu et al. 2017, eq. 2) for one direction: λ · ‖F(G(a)) − a‖₁ (mean over elements), with
 * `reconstructed` = F(G(a)) and `original` = a. The reference adds the two directions as separate terms
 * (`loss_cycle_A`, `loss_cycle_B`), each with its own λ (default 10).
 */
export const cycleConsistencyLoss = (reconstructed: tf.Tensor, original: tf.Tensor, lambda = CYCLE_LAMBDA): tf.Scalar =>
  tf.tidy(() => tf.mul(lambda, l1DistanceLoss(reconstructed, original)) as tf.Scalar)

/**
 * Identity loss (Zhu et al. 2017, §5.2; Taigman et al. 2017) for one generator: λ · fraction · ‖G(b) − b‖₁, where
 * G maps A → B, `mapped` = G(b) for a real b of G's target domain and `sameDomain` = b (the reference's `loss_idt_A =
 * L1(G_A(real_B), real_B) · λ_B · λ_identity`, default 10 · 0.5 = 5). It keeps colours when no change is needed.
 */
export const identityLoss = (mapped: tf.Tensor, sameDomain: tf.Tensor, lambda = CYCLE_LAMBDA, fraction = IDENTITY_FRACTION): tf.Scalar =>
  tf.tidy(() => tf.mul(lambda * fraction, l1DistanceLoss(mapped, sameDomain)) as tf.Scalar)
