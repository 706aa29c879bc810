import { allVariablesOf, trainableVariablesOf } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { DivergenceGuard, type DivergenceLimits } from "./divergence-guard.ts"
import { WeightAverage } from "./generator-ema.ts"
import type { Networks, RecipeInstance } from "./recipe.ts"
import type { TrainingOptimizer } from "./training-optimizer.ts"

/** A network that learns: its trainable variables and the optimiser that updates them. */
export interface LearningNetwork {
  readonly variables: readonly tf.Variable[]
  readonly optimizer: TrainingOptimizer
}

/**
 * Everything that learns in a recipe, and its owners: the recipe's networks, one optimiser per network that learns,
 * the EMA of the networks that have one, the recipe's own state, and the divergence guard. Created by
 * {@link createPlayers}; {@link disposePlayers} frees what the trainer made, and the networks too unless `keepNetworks`.
 */
export interface GanPlayers<N extends Networks = Networks> {
  readonly recipe: RecipeInstance<N>
  readonly networks: N
  /** By network name, in the recipe's `optimizers` order. */
  readonly learning: ReadonlyMap<string, LearningNetwork>
  /** EMA of a network's weights (all of `model.weights`), by network name. */
  readonly ema: ReadonlyMap<string, WeightAverage>
  /** Fails training on a NaN/Inf, too large or exploding phase loss (see {@link DivergenceGuard}). */
  readonly divergence: DivergenceGuard
}

/** All weights of a model (trainable and not), as the variables themselves, in `model.weights` order. */
export const allWeightsOf = (model: tfl.LayersModel): tf.Variable[] => allVariablesOf(model)

/** Sets up the optimisers and EMAs around a recipe's freshly built networks. */
export const createPlayers = <N extends Networks>(recipe: RecipeInstance<N>, limits: DivergenceLimits): GanPlayers<N> => {
  const learning = new Map<string, LearningNetwork>()
  const ema = new Map<string, WeightAverage>()
  try {
    for (const [name, choice] of Object.entries(recipe.optimizers) as [string, RecipeInstance["optimizers"][string]][]) {
      if (!choice) continue
      const variables = trainableVariablesOf(networkOf(recipe, name))
      learning.set(name, { variables, optimizer: choice.create(variables) })
    }
    for (const phase of recipe.phases)
      for (const name of phase.learns)
        if (!learning.has(name)) throw new Error(`recipe phase ${phase.name} trains ${name}, which has no optimizer`)
    for (const [name, decay] of Object.entries(recipe.ema ?? {}) as [string, number | undefined][]) {
      if (decay !== undefined && decay > 0) ema.set(name, new WeightAverage(allWeightsOf(networkOf(recipe, name)), decay))
    }
  } catch (error) {
    for (const l of learning.values()) l.optimizer.dispose()
    for (const e of ema.values()) e.dispose()
    throw error
  }
  return { recipe, networks: recipe.networks, learning, ema, divergence: new DivergenceGuard(limits) }
}

const networkOf = <N extends Networks>(recipe: RecipeInstance<N>, name: string): tfl.LayersModel => {
  const network = (recipe.networks as Networks)[name]
  if (!network) throw new Error(`the recipe has no network ${name} (it has ${Object.keys(recipe.networks).join(", ")})`)
  return network
}

/** Frees the trainer-made state and the recipe's state; the networks as well unless `keepNetworks`. */
export const disposePlayers = <N extends Networks>(players: GanPlayers<N>, keepNetworks = false): void => {
  for (const l of players.learning.values()) l.optimizer.dispose()
  for (const e of players.ema.values()) e.dispose()
  players.recipe.state?.dispose()
  if (!keepNetworks) for (const network of Object.values(players.networks as Networks)) network.dispose()
}
