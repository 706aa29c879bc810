/**
 * What the text-to-image recipes (`gan-cls`, `stackgan-stage1`, `stackgan-stage2`) share about their two players: the
 * config fields of their optimisers and generator EMA, and the recipe-instance fields built from them.
 */
import type { AdamSettings } from "../adam-optimizer.ts"
import { defaultMaxLoss } from "../divergence-guard.ts"
import { AdamConfig } from "../train-config.ts"
import { adam } from "../training-optimizer.ts"

/** Config fields merged into each text-to-image recipe's schema. */
export const textToImagePlayerFields = {
  generatorLearningRate: "number > 0 = 0.0002",
  discriminatorLearningRate: "number > 0 = 0.0002",
  adam: AdamConfig.default(() => ({})),
  /** Decay of the EMA of G's weights (exported instead of the raw weights); 0 = off. */
  generatorEma: "0 <= number < 1 = 0",
} as const

/** The player settings of a parsed config. */
export interface TextToImagePlayerSettings {
  readonly generatorLearningRate: number
  readonly discriminatorLearningRate: number
  readonly adam: Omit<AdamSettings, "learningRate">
  readonly generatorEma: number
  readonly maxLoss?: number
}

/** One Adam per player (PyTorch's rule), G's EMA when asked, and the BCE divergence bound. */
export const textToImagePlayers = (config: TextToImagePlayerSettings) => ({
  optimizers: {
    generator: adam({ learningRate: config.generatorLearningRate, ...config.adam }),
    discriminator: adam({ learningRate: config.discriminatorLearningRate, ...config.adam }),
  },
  ema: config.generatorEma > 0 ? { generator: config.generatorEma } : undefined,
  maxLoss: config.maxLoss ?? defaultMaxLoss("bce"),
})
