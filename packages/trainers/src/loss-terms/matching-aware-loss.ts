import * as tf from "@tensorflow/tfjs-core"
import { bceWithLogits } from "./adversarial-losses.ts"

/**
 * GAN-CLS's matching-aware discriminator loss (Reed et al. 2016, Algorithm 1), on D's logits for three pairs:
 * s_r = D(x, h) real image with its text, s_w = D(x, ĥ) real image with mismatched text, s_f = D(x̂, h) generated
 * image with the text it was generated from. The paper maximises log s_r + (log(1 − s_w) + log(1 − s_f))/2; as a
 * loss to minimise, with σ the sigmoid and means over the batch:
 *
 *   L_D = −mean log σ(r) − w·mean log(1 − σ(m)) − (1 − w)·mean log(1 − σ(f))
 *       = BCE(r, 1) + w·BCE(m, 0) + (1 − w)·BCE(f, 0)
 *
 * with `mismatchWeight` w = 0.5 the paper's (reedscot/icml2016's `cls_weight`; w = 0 is a plain conditional GAN's
 * D loss). Logits of any shape `[B, ...]`; the three batches may differ in size. Returns a scalar the caller owns.
 */
export const matchingAwareDiscriminatorLoss = (
  realMatching: tf.Tensor,
  realMismatched: tf.Tensor,
  fakeMatching: tf.Tensor,
  mismatchWeight = 0.5,
): tf.Scalar =>
  tf.tidy(() =>
    tf.addN([
      bceWithLogits(realMatching, 1),
      tf.mul(mismatchWeight, bceWithLogits(realMismatched, 0)),
      tf.mul(1 - mismatchWeight, bceWithLogits(fakeMatching, 0)),
    ]) as tf.Scalar,
  )

/**
 * The text each real image is paired with as "wrong" text: the batch's embeddings rolled by `shift` rows, so row i
 * gets row i − shift's text. Correct only where consecutive rows describe different things; the caller draws
 * batches so (the captioned data draw mismatched captions from different attribute sets). `[B, E]` -> `[B, E]`.
 */
export const rolledEmbeddings = (embeddings: tf.Tensor2D, shift = 1): tf.Tensor2D =>
  tf.tidy(() => {
    const b = embeddings.shape[0]
    const s = ((shift % b) + b) % b
    if (s === 0) return tf.clone(embeddings)
    return tf.concat([tf.slice(embeddings, [b - s, 0], [s, -1]), tf.slice(embeddings, [0, 0], [b - s, -1])], 0)
  })

/**
 * GAN-INT's interpolated text embeddings (Reed et al. 2016, sec. 4.3): β·t1 + (1 − β)·t2, row by row; β = 0.5 is
 * the paper's. `[B, E]` each -> `[B, E]`. The generator is trained on them through D's score only (there is no
 * real image for them): {@link interpolatedTextGeneratorLoss}.
 */
export const interpolateEmbeddings = (first: tf.Tensor2D, second: tf.Tensor2D, beta = 0.5): tf.Tensor2D =>
  tf.tidy(() => tf.add(tf.mul(beta, first), tf.mul(1 - beta, second)) as tf.Tensor2D)

/**
 * GAN-INT's generator term: the non-saturating adversarial loss on D's logits for images generated from
 * interpolated embeddings and judged against them, s = D(G(z, t_β), t_β) with t_β = β·t1 + (1 − β)·t2:
 *
 *   L_G,int = −mean log σ(s) = BCE(s, 1)
 *
 * (reedscot/icml2016 adds it to G's loss with weight `interp_weight`). Returns a scalar the caller owns.
 */
export const interpolatedTextGeneratorLoss = (interpolatedLogits: tf.Tensor): tf.Scalar => bceWithLogits(interpolatedLogits, 1)

/**
 * StackGAN Stage-II's discriminator loss (hanzhanggit/StackGAN-Pytorch `compute_discriminator_loss` with an
 * unconditional head): the matching-aware pairs judged by the conditional head (c) plus real and fake judged by the
 * unconditional head (u) on the image alone:
 *
 *   L_D = (BCE(r_c, 1) + BCE(r_u, 1))/2 + (BCE(f_c, 0) + BCE(m_c, 0) + BCE(f_u, 0))/3
 *
 * Returns a scalar the caller owns.
 */
export const matchingAwareDiscriminatorLossWithUnconditional = (
  realMatching: tf.Tensor,
  realMismatched: tf.Tensor,
  fakeMatching: tf.Tensor,
  realUnconditional: tf.Tensor,
  fakeUnconditional: tf.Tensor,
): tf.Scalar =>
  tf.tidy(() =>
    tf.add(
      tf.div(tf.add(bceWithLogits(realMatching, 1), bceWithLogits(realUnconditional, 1)), 2),
      tf.div(tf.addN([bceWithLogits(fakeMatching, 0), bceWithLogits(realMismatched, 0), bceWithLogits(fakeUnconditional, 0)]), 3),
    ) as tf.Scalar,
  )
