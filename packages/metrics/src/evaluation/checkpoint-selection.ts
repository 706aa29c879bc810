/**
 * Choosing one checkpoint of a training run by a rule over the checkpoint metrics: `min fid` (lowest FID), `max is`
 * (highest IS), `min kid@inception`, or `last`. A metric is named by its key (`fid@random-cnn-seed0`) or by the name
 * before `@` when only one extractor's key has it. On a tie the earliest checkpoint wins (fewer steps, same score).
 */
import { Data } from "effect"

/** A parsed selection rule. */
export type SelectionRule = { readonly kind: "last" } | { readonly kind: "min" | "max"; readonly metric: string }

/** The rule's text: `last`, or `min`/`max` and a metric name. */
export const SELECTION_RULE_PATTERN = /^(last|(min|max) [A-Za-z0-9_.@:-]+)$/

/** A selection rule that cannot be applied to the metrics at hand. */
export class CheckpointSelectionInvalid extends Data.TaggedError("CheckpointSelectionInvalid")<{
  readonly rule: string
  readonly reason: string
}> {
  override get message() {
    return `checkpoint selection "${this.rule}": ${this.reason}`
  }
}

/** Parse `min fid` / `max is` / `last` (the params schema has checked the pattern). */
export const parseSelectionRule = (rule: string): SelectionRule => {
  if (rule === "last") return { kind: "last" }
  const [kind, metric] = rule.split(" ") as ["min" | "max", string]
  return { kind, metric }
}

/** One checkpoint's metric values. */
export interface CheckpointScores {
  readonly checkpoint: string
  readonly step: number
  readonly values: Readonly<Record<string, number>>
}

/** The chosen checkpoint, the metric key chosen by and its value. */
export interface Selection {
  readonly checkpoint: string
  readonly step: number
  readonly metric: string | null
  readonly value: number | null
}

/** Apply `rule` (its text, for errors) to `rows` in training order. */
export const selectCheckpoint = (rule: string, rows: ReadonlyArray<CheckpointScores>): Selection | CheckpointSelectionInvalid => {
  const parsed = parseSelectionRule(rule)
  if (rows.length === 0) return new CheckpointSelectionInvalid({ rule, reason: "the training stage has no checkpoints to choose from" })
  if (parsed.kind === "last") {
    const last = rows.at(-1)!
    return { checkpoint: last.checkpoint, step: last.step, metric: null, value: null }
  }
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))]
  const matching = keys.includes(parsed.metric) ? [parsed.metric] : keys.filter((k) => k.split("@")[0] === parsed.metric)
  if (matching.length === 0) return new CheckpointSelectionInvalid({ rule, reason: `no metric ${parsed.metric} among the checkpoint metrics (${keys.join(", ") || "none"})` })
  if (matching.length > 1) return new CheckpointSelectionInvalid({ rule, reason: `${parsed.metric} is ambiguous: name one of ${matching.join(", ")}` })
  const metric = matching[0]!
  let best: CheckpointScores | undefined
  for (const row of rows) {
    const v = row.values[metric]
    if (v === undefined || !Number.isFinite(v)) continue
    const current = best?.values[metric]
    if (current === undefined || (parsed.kind === "min" ? v < current : v > current)) best = row
  }
  if (best === undefined) return new CheckpointSelectionInvalid({ rule, reason: `no checkpoint has a finite ${metric}` })
  return { checkpoint: best.checkpoint, step: best.step, metric, value: best.values[metric]! }
}
