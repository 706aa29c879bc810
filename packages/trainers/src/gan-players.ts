import { DivergenceGuard } from "./divergence-guard.ts"
import { allVariablesOf, type GanModels, trainableVariablesOf } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { AdamOptimizer } from "./adam-optimizer.ts"
import { WeightAverage } from "./generator-ema.ts"
import { HistoricalAverage } from "./historical-averaging.ts"
import type { TrainConfig } from "./train-config.ts"

/**
 * Everything that learns, and its owners: G and D (from `@ganflow/models`), one Adam per player, and the optional
 * EMA of G and historical averages. Created by {@link createPlayers}; {@link disposePlayers} frees what the
 * trainer made (optimizer moments, averages, the feature view of D), and the models too unless `keepModels`.
 */
export interface GanPlayers {
  readonly models: GanModels
  readonly generatorVariables: tf.Variable[]
  readonly discriminatorVariables: tf.Variable[]
  readonly generatorOptimizer: AdamOptimizer
  readonly discriminatorOptimizer: AdamOptimizer
  /** D with its penultimate features as an extra first output (feature matching); shares D's weights. */
  readonly discriminatorFeatures?: tfl.LayersModel
  readonly generatorEma?: WeightAverage
  readonly generatorHistory?: HistoricalAverage
  readonly discriminatorHistory?: HistoricalAverage
  /** Fails training on a NaN/Inf, too large or exploding loss (see {@link DivergenceGuard}). */
  readonly divergence: DivergenceGuard
}

/** All weights of a model (trainable and not), as the variables themselves, in `model.weights` order. */
export const allWeightsOf = (model: tfl.LayersModel): tf.Variable[] => allVariablesOf(model)

/** Sets up optimizers (TTUR: separate learning rates) and the tricks' state around freshly built models. */
export const createPlayers = (models: GanModels, config: TrainConfig): GanPlayers => {
  const generatorVariables = trainableVariablesOf(models.generator)
  const discriminatorVariables = trainableVariablesOf(models.discriminator)
  const adam = (learningRate: number) => ({ learningRate, ...config.adam })
  const { featureMatching, generatorEma, historicalAveraging } = config.tricks
  return {
    models,
    divergence: new DivergenceGuard(config),
    generatorVariables,
    discriminatorVariables,
    generatorOptimizer: new AdamOptimizer(generatorVariables, adam(config.generatorLearningRate)),
    discriminatorOptimizer: new AdamOptimizer(discriminatorVariables, adam(config.discriminatorLearningRate)),
    ...(featureMatching ? { discriminatorFeatures: featureView(models.discriminator) } : {}),
    ...(generatorEma > 0 ? { generatorEma: new WeightAverage(allWeightsOf(models.generator), generatorEma) } : {}),
    ...(historicalAveraging > 0
      ? {
          generatorHistory: new HistoricalAverage(generatorVariables, historicalAveraging),
          discriminatorHistory: new HistoricalAverage(discriminatorVariables, historicalAveraging),
        }
      : {}),
  }
}

/** D's view `[features, ...outputs]`, where features are the input of D's last layer that has weights. */
const featureView = (discriminator: tfl.LayersModel): tfl.LayersModel => {
  const last = [...discriminator.layers].reverse().find((l) => l.weights.length > 0)!
  const features = last.input as tfl.SymbolicTensor
  return tfl.model({ inputs: discriminator.inputs, outputs: [features, ...discriminator.outputs] })
}

/** Frees the trainer-made state; the models as well unless `keepModels`. */
export const disposePlayers = (players: GanPlayers, keepModels = false): void => {
  players.generatorOptimizer.dispose()
  players.discriminatorOptimizer.dispose()
  players.generatorEma?.dispose()
  players.generatorHistory?.dispose()
  players.discriminatorHistory?.dispose()
  if (!keepModels) {
    players.models.generator.dispose()
    players.models.discriminator.dispose()
  }
}
