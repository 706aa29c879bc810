import * as tf from "@tensorflow/tfjs-core"

/** Names of the adversarial losses, as configs select them. */
export const adversarialLossNames = ["bce", "minimax", "least-squares", "hinge", "wgan", "wgan-gp"] as const
/** One of {@link adversarialLossNames}. */
export type AdversarialLossName = (typeof adversarialLossNames)[number]

/** Options of the discriminator side of a loss. */
export interface DiscriminatorLossOptions {
  /** Target for real samples; < 1 is one-sided label smoothing (Salimans et al.: 0.9). BCE, minimax, LSGAN only. */
  readonly realLabel: number
}

/**
 * A GAN loss as two pure functions of D's raw outputs (logits / critic scores, any shape `[B, ...]`), each returning
 * a scalar to minimise. `gradientPenalty` tells the trainer to add the WGAN-GP penalty on interpolates.
 */
export interface AdversarialLoss {
  readonly discriminator: (real: tf.Tensor, fake: tf.Tensor, options: DiscriminatorLossOptions) => tf.Scalar
  readonly generator: (fake: tf.Tensor) => tf.Scalar
  readonly gradientPenalty: boolean
}

/** Binary cross-entropy on logits with target y: softplus(x) - x*y, averaged (stable form of BCE(sigmoid(x), y)). */
export const bceWithLogits = (logits: tf.Tensor, target: number): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target))) as tf.Scalar)

const bceDiscriminator = (real: tf.Tensor, fake: tf.Tensor, o: DiscriminatorLossOptions): tf.Scalar =>
  tf.tidy(() => tf.add(bceWithLogits(real, o.realLabel), bceWithLogits(fake, 0)) as tf.Scalar)

const wasserstein = (real: tf.Tensor, fake: tf.Tensor): tf.Scalar => tf.tidy(() => tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar)

/**
 * The registry. Formulas (r = D(x), f = D(G(z)), means over the batch, s = realLabel):
 * - `bce` (non-saturating, Goodfellow et al. 2014 §3): D = BCE(r, s) + BCE(f, 0); G = BCE(f, 1)
 * - `minimax` (the original saturating game): D as bce; G = -BCE(f, 0) = mean(log(1 - sigmoid(f)))
 * - `least-squares` (LSGAN, Mao et al. 2017, a=0 b=c=1): D = ½ mean((r - s)²) + ½ mean(f²); G = ½ mean((f - 1)²)
 * - `hinge` (Lim & Ye 2017; SN-GAN): D = mean(relu(1 - r)) + mean(relu(1 + f)); G = -mean(f)
 * - `wgan` (Arjovsky et al. 2017): D = mean(f) - mean(r); G = -mean(f)
 * - `wgan-gp` (Gulrajani et al. 2017): wgan plus λ·mean((‖∇D(x̂)‖₂ - 1)²), see {@link gradientPenalty}
 */
export const adversarialLosses: Readonly<Record<AdversarialLossName, AdversarialLoss>> = {
  bce: {
    discriminator: bceDiscriminator,
    generator: (fake) => bceWithLogits(fake, 1),
    gradientPenalty: false,
  },
  minimax: {
    discriminator: bceDiscriminator,
    generator: (fake) => tf.tidy(() => tf.neg(bceWithLogits(fake, 0))),
    gradientPenalty: false,
  },
  "least-squares": {
    discriminator: (real, fake, o) =>
      tf.tidy(() => tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, o.realLabel))), tf.mean(tf.square(fake)))) as tf.Scalar),
    generator: (fake) => tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(fake, 1)))) as tf.Scalar),
    gradientPenalty: false,
  },
  hinge: {
    discriminator: (real, fake) => tf.tidy(() => tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar),
    generator: (fake) => tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar),
    gradientPenalty: false,
  },
  wgan: {
    discriminator: wasserstein,
    generator: (fake) => tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar),
    gradientPenalty: false,
  },
  "wgan-gp": {
    discriminator: wasserstein,
    generator: (fake) => tf.tidy(() => tf.neg(tf.mean(fake)) as tf.Scalar),
    gradientPenalty: true,
  },
}

/** Mean softmax cross-entropy of class logits `[B, K]` against integer labels `[B, 1]` (ACGAN's auxiliary loss). */
export const classCrossEntropy = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
  tf.tidy(() => {
    const k = logits.shape[logits.shape.length - 1]!
    const oneHot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), "int32"), k)
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as tf.Scalar
  })
