/**
 * One training step of any recipe (`recipe.ts`): its phases in order — for a GAN, (1) the discriminator's update
 * on a real batch and a detached fake batch, then (2) the generator's update through the fixed discriminator — each
 * drawing its inputs outside the gradient tape, running its networks inside it, and minimising its weighted loss
 * terms over the variables of the networks it trains.
 */
import type { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import type { GanPlayers } from "./gan-players.ts"
import type { Networks, Phase } from "./recipe.ts"
import type { Batch, BatchStreams } from "./training-set.ts"

/** What one update of a phase leaves: scalars the caller owns (nothing is read back here, see `pending-losses.ts`). */
export interface PhaseOutcome {
  /** `Σ weight · loss` of the update. */
  readonly total: tf.Scalar
  /** Each weighted term, when the phase has more than one. */
  readonly terms: Readonly<Record<string, tf.Scalar>>
  /** The monitors' values (read back: the skip decision needs them). */
  readonly monitors: Readonly<Record<string, number>>
  /** Whether the update was skipped (`phase.skipUpdate`). */
  readonly skipped: boolean
}

/** Frees an outcome's scalars. */
export const disposePhaseOutcome = (outcome: PhaseOutcome): void => tf.dispose([outcome.total, ...Object.values(outcome.terms)])

/**
 * One update of `phase` on `batch`: draw (outside the tape), forward and terms (inside), then the optimisers of
 * the networks it trains step, their EMAs fold the new weights in and `afterUpdate` runs — unless `skipUpdate`
 * says no for this batch (the draws are the same either way). Frees what it drew; consumes nothing it is given.
 */
export const runPhase = async <N extends Networks>(players: GanPlayers<N>, phase: Phase<any, any, any>, batch: Batch, random: SeededRandom): Promise<PhaseOutcome> => {
  const batchSize = Object.values(batch)[0]!.shape[0]!
  // inside a tidy so that what the detached network calls make in between is freed; what it returns is kept
  const drawn = tf.tidy(() => phase.draw({ batch, batchSize, random, networks: players.networks }) as tf.TensorContainer) as Record<string, unknown>
  const batchTensors = new Set<unknown>(Object.values(batch))
  const owned = Object.values(drawn).filter((v): v is tf.Tensor => v instanceof tf.Tensor && !batchTensors.has(v))
  const kept: tf.Tensor[] = []
  try {
    const terms: Record<string, tf.Scalar> = {}
    const monitorTensors: Record<string, tf.Scalar> = {}
    const variables = phase.learns.flatMap((name: string) => players.learning.get(name)!.variables)
    const { value, grads } = tf.variableGrads(() => {
      const step = { ...drawn, ...phase.forward(drawn, players.networks) }
      for (const [name, monitor] of Object.entries(phase.monitors ?? {}) as [string, (s: unknown) => tf.Scalar][]) {
        monitorTensors[name] = tf.keep(monitor(step))
        kept.push(monitorTensors[name])
      }
      let total: tf.Scalar | undefined
      for (const term of phase.terms as { name: string; weight: number; loss: (s: unknown) => tf.Scalar }[]) {
        const raw = term.loss(step)
        const weighted = term.weight === 1 ? raw : (tf.mul(term.weight, raw) as tf.Scalar)
        if (phase.terms.length > 1) {
          terms[term.name] = tf.keep(tf.clone(weighted))
          kept.push(terms[term.name]!)
        }
        total = total === undefined ? weighted : (tf.add(total, weighted) as tf.Scalar)
      }
      if (total === undefined) throw new Error(`recipe phase ${phase.name} has no loss terms`)
      return total
    }, variables)
    try {
      const monitors: Record<string, number> = {}
      for (const [name, t] of Object.entries(monitorTensors)) monitors[name] = (await t.data())[0]! // asynchronous: WebGPU has no synchronous read in Node
      tf.dispose(Object.values(monitorTensors))
      const skipped = phase.skipUpdate?.(monitors) ?? false
      if (!skipped) {
        for (const name of phase.learns as string[]) players.learning.get(name)!.optimizer.applyGradients(grads)
        phase.afterUpdate?.()
        for (const name of phase.learns as string[]) players.ema.get(name)?.update()
      }
      return { total: value, terms, monitors, skipped }
    } finally {
      tf.dispose(Object.values(grads))
    }
  } catch (error) {
    tf.dispose(kept)
    throw error
  } finally {
    tf.dispose(owned)
  }
}

/** Each phase's last outcome in one step, by phase name, in the recipe's order. */
export type StepOutcome = ReadonlyArray<readonly [string, PhaseOutcome]>

/**
 * One training step: every phase of the recipe in order, each `repeat` times. A phase with `batch: "next"` (the
 * first phase by default) takes a fresh real batch for each update; the others see the step's latest batch.
 * Returns each phase's last outcome (earlier repeats' scalars are freed).
 */
export const trainingStep = async <N extends Networks>(players: GanPlayers<N>, batches: BatchStreams, random: SeededRandom): Promise<StepOutcome> => {
  const outcomes: [string, PhaseOutcome][] = []
  let batch: Batch | undefined
  try {
    for (const [index, phase] of players.recipe.phases.entries()) {
      let outcome: PhaseOutcome | undefined
      for (let k = 0; k < (phase.repeat ?? 1); k++) {
        if ((phase.batch ?? (index === 0 ? "next" : "last")) === "next" || batch === undefined) {
          if (batch) tf.dispose(Object.values(batch))
          batch = batches.next()
        }
        if (outcome) disposePhaseOutcome(outcome)
        outcome = undefined
        outcome = await runPhase(players, phase, batch, random)
      }
      outcomes.push([phase.name, outcome!])
    }
    return outcomes
  } catch (error) {
    for (const [, o] of outcomes) disposePhaseOutcome(o)
    throw error
  } finally {
    if (batch) tf.dispose(Object.values(batch))
  }
}
