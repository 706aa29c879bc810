/**
 * A GAN as a **recipe**: named networks, and for each phase of a training step the networks it updates, the inputs
 * it draws, and a list of weighted loss terms. The trainer (`train-recipe.ts`, one step in `train-step.ts`) runs any
 * recipe the same way — phases in order, one optimiser per network that learns, EMA, checkpoints of every network
 * and optimiser, resume and determinism — so a new model family is one recipe file (see `recipes/`) and its stage.
 *
 * A phase runs in three parts, so that what carries gradients is visible:
 * 1. `draw(ctx)`, outside the gradient tape: fields of the real batch, latents, noise, and *detached* network outputs
 *    (the fake batch D sees in its phase). Every tensor it returns that is not a batch field is freed after the phase.
 * 2. `forward(drawn, networks)`, inside the tape: the network calls whose outputs the terms need (computed once even
 *    when several terms read them).
 * 3. `terms`: pure functions of `{ ...drawn, ...forward }` to scalars; the phase minimises `Σ weight · loss`
 *    (a term of weight 1 is added as is). Only the variables of the networks in `learns` receive gradients.
 */
import type { SeededRandom } from "@ganflow/data"
import type * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import type { TrainingOptimizer } from "./training-optimizer.ts"

/** The networks of a recipe, by name (`generator`, `discriminator`, `encoder`, `textEncoder`, …). */
export type Networks = Readonly<Record<string, tfl.LayersModel>>

/** One step's real batch: every field of the training data, `[B, …]`, owned by the trainer. */
export type BatchFields = Readonly<Record<string, tf.Tensor>>

/** What a phase draws from, outside the gradient tape. */
export interface DrawContext<N extends Networks> {
  readonly batch: BatchFields
  readonly batchSize: number
  /** The run's seeded stream (checkpointed): draw latents and noise from it (see `latent-sampler.ts`). */
  readonly random: SeededRandom
  /** For detached calls (no gradient reaches a network called here). */
  readonly networks: N
}

/** One weighted loss term of a phase: `weight · loss(step)`, named in the logs as `<phase>/<name>`. */
export interface LossTerm<S> {
  readonly name: string
  readonly weight: number
  /** A pure function of the step's drawn inputs and forward outputs; returns a scalar to minimise. */
  readonly loss: (step: S) => tf.Scalar
}

/** A scalar computed from the phase's tensors and read back, not trained: e.g. D's accuracy on the batch. */
export type PhaseMonitor<S> = (step: S) => tf.Scalar

/** One phase of a training step. Build with {@link definePhase} so its drawn and forward shapes are inferred. */
export interface Phase<N extends Networks, D extends object = Record<string, tf.Tensor>, F extends object = Record<string, tf.Tensor>> {
  /** Name in logs and errors (`discriminator` and `generator` log as `dLoss` and `gLoss`). */
  readonly name: string
  /** Networks whose trainable variables this phase updates (each has its own optimiser). */
  readonly learns: readonly (keyof N & string)[]
  /** Updates per training step (WGAN's critic: 5). Default 1. */
  readonly repeat?: number
  /** Which real batch the phase sees: `next` takes a fresh one per update, `last` reuses the step's latest. Default: `next` for the first phase, `last` for the others. */
  readonly batch?: "next" | "last"
  readonly draw: (ctx: DrawContext<N>) => D
  readonly forward: (drawn: D, networks: N) => F
  readonly terms: readonly LossTerm<D & F>[]
  /** Scalars read back after the forward pass (logged as `<phase>/<name>`). */
  readonly monitors?: Readonly<Record<string, PhaseMonitor<D & F>>>
  /** Skips this update (gradients computed, not applied) when it returns true for the monitors' values: the 3D-GAN's adaptive D. The random draws are the same either way. */
  readonly skipUpdate?: (monitors: Readonly<Record<string, number>>) => boolean
  /** Runs after the update is applied (not when skipped): e.g. fold the weights into a historical average. */
  readonly afterUpdate?: () => void
}

/** Identity function that infers a phase's drawn and forward shapes from `draw` and `forward`. */
export const definePhase =
  <N extends Networks>() =>
  <D extends object, F extends object>(phase: Phase<N, D, F>): Phase<N, D, F> =>
    phase

/** Optimiser settings for one network that learns. */
export interface OptimizerChoice {
  /** Makes the optimiser over the network's trainable variables (default: Adam, see `training-optimizer.ts`). */
  readonly create: (variables: readonly tf.Variable[]) => TrainingOptimizer
}

/** State a recipe keeps besides networks and optimisers (history buffers, running averages), saved with checkpoints. */
export interface RecipeState {
  /** Named groups of variables, restored in place (e.g. `history-generator`). */
  readonly groups: () => Readonly<Record<string, readonly tf.Variable[]>>
  /** Named counters (e.g. snapshots averaged so far). */
  readonly counters: () => Readonly<Record<string, number>>
  readonly restoreCounters: (counters: Readonly<Record<string, number>>) => void
  readonly dispose: () => void
}

/** How the trainer renders its fixed sample grid (every `sampleEvery` steps). */
export interface RecipeSampler<N extends Networks> {
  /** Draws the fixed inputs once, from a stream of its own, for `count` images. Owned by the trainer. */
  readonly draw: (random: SeededRandom, count: number) => Readonly<Record<string, tf.Tensor>>
  /** Images `[count, H, W, C]` in `outputRange`, in inference mode. */
  readonly generate: (networks: N, drawn: Readonly<Record<string, tf.Tensor>>) => tf.Tensor
  readonly outputRange: "tanh" | "sigmoid"
}

/** A recipe built for one config and seed: what the trainer runs. */
export interface RecipeInstance<N extends Networks = Networks> {
  readonly networks: N
  /** The networks that learn and their optimisers. Every network named in a phase's `learns` must be here. */
  readonly optimizers: Readonly<Partial<Record<keyof N & string, OptimizerChoice>>>
  readonly phases: readonly Phase<N, any, any>[]
  /** EMA decay of a network's weights (`<name>-ema` in checkpoints), updated after each phase that trains it. */
  readonly ema?: Readonly<Partial<Record<keyof N & string, number>>>
  readonly state?: RecipeState
  readonly sampler?: RecipeSampler<N>
  /** Fields of the training data drawn by shuffles of their own (unpaired data: CycleGAN's second domain). */
  readonly unpairedFields?: readonly (readonly string[])[]
  /** Checks the training data fits the networks; throws `TrainingDataInvalid`. */
  readonly checkData?: (data: Readonly<Record<string, tf.Tensor>>) => void
  /** What a consumer needs to feed each network once exported (its `gan.json`), by network name. */
  readonly descriptions?: Readonly<Partial<Record<keyof N & string, () => Readonly<Record<string, unknown>>>>>
  /** Phase totals the divergence guard bounds: absolute bound on |loss| (default 1e6). */
  readonly maxLoss?: number
}

/**
 * A named recipe: a function from a config (validated by its schema), a seed and, for recipes that start from
 * something a stage loads (a pre-trained network's weights, a frozen feature network), those `resources`, to a
 * {@link RecipeInstance}. `create` owns the resources from then on (the instance's state frees them).
 */
export interface Recipe<C, N extends Networks = Networks, R = void> {
  readonly name: string
  /** Builds the networks (weights drawn from `seed`) and the phases for `config`. */
  readonly create: (config: C, seed: number, resources: R) => RecipeInstance<N>
}

/** Declares a recipe (identity; gives the recipe's types to the editor). */
export const defineRecipe = <C, N extends Networks, R = void>(recipe: Recipe<C, N, R>): Recipe<C, N, R> => recipe
