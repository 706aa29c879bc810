/**
 * Caption agreement: how often images generated from captions show what their caption states, as judged by an
 * attribute classifier. For samples i = 1..n, attribute a, caption-stated value s_ia (or none: the caption does
 * not mention a) and predicted value p_ia:
 *
 *   agreement_a = #{i : s_ia stated, p_ia = s_ia} / #{i : s_ia stated}
 *   overall     = #{i : every stated s_ia (of the attributes scored) equals p_ia} / #{i : some s_ia stated}
 *
 * Chance is the same share when images are paired with *other* samples' captions — what a generator that ignores
 * its caption reaches with its own mix of attributes:
 *
 *   chance_a       = Σ_{i≠j, s_ja stated} [p_ia = s_ja] / #{(i, j) : i ≠ j, s_ja stated}
 *   chanceOverall  = the same over pairs (i, j) for "all of j's stated attributes match i's predictions"
 *
 * Pure float64 maths over integer codes (values are class indices; −1 = not stated / not predicted).
 */

/** Agreement of one attribute. */
export interface AttributeAgreement {
  /** Share of samples whose caption states the attribute and whose prediction matches it. */
  readonly agreement: number
  /** The same share under mismatched pairing (the caption ignored). */
  readonly chance: number
  /** Samples whose caption states the attribute. */
  readonly stated: number
}

/** Result of {@link measureCaptionAgreement}. */
export interface CaptionAgreement {
  readonly overall: number
  readonly chanceOverall: number
  /** Samples whose caption states at least one scored attribute. */
  readonly samples: number
  readonly perAttribute: Readonly<Record<string, AttributeAgreement>>
}

/**
 * Caption agreement of `predicted[a][i]` against `stated[a][i]` for every attribute `a` (arrays of one length n;
 * −1 in `stated` = not stated). Chance is exact over all n(n−1) mismatched pairs (O(n²·A): fine for a few thousand
 * samples). An attribute no caption states has agreement and chance NaN; `overall` is NaN without any stated sample.
 */
export const measureCaptionAgreement = (
  stated: Readonly<Record<string, ArrayLike<number>>>,
  predicted: Readonly<Record<string, ArrayLike<number>>>,
): CaptionAgreement => {
  const names = Object.keys(stated)
  const n = names.length === 0 ? 0 : stated[names[0]!]!.length
  for (const a of names) {
    if (stated[a]!.length !== n || predicted[a] === undefined || predicted[a]!.length !== n) throw new Error(`caption agreement: attribute ${a} has ${stated[a]!.length} stated and ${predicted[a]?.length ?? 0} predicted values for ${n} samples`)
  }
  const perAttribute: Record<string, AttributeAgreement> = {}
  for (const a of names) {
    const s = stated[a]!
    const p = predicted[a]!
    let count = 0
    let hits = 0
    // chance: for each stated value v, the number of *other* samples predicting v
    const predictedCounts = new Map<number, number>()
    for (let i = 0; i < n; i++) predictedCounts.set(p[i]!, (predictedCounts.get(p[i]!) ?? 0) + 1)
    let chanceHits = 0
    for (let j = 0; j < n; j++) {
      if (s[j]! < 0) continue
      count++
      if (p[j] === s[j]) hits++
      chanceHits += (predictedCounts.get(s[j]!) ?? 0) - (p[j] === s[j] ? 1 : 0)
    }
    perAttribute[a] = { agreement: count > 0 ? hits / count : Number.NaN, chance: count > 0 && n > 1 ? chanceHits / (count * (n - 1)) : Number.NaN, stated: count }
  }
  const statesSomething = (j: number) => names.some((a) => stated[a]![j]! >= 0)
  const allMatch = (i: number, j: number) => names.every((a) => stated[a]![j]! < 0 || predicted[a]![i] === stated[a]![j])
  let samples = 0
  let hits = 0
  let chanceHits = 0
  for (let j = 0; j < n; j++) {
    if (!statesSomething(j)) continue
    samples++
    if (allMatch(j, j)) hits++
    for (let i = 0; i < n; i++) if (i !== j && allMatch(i, j)) chanceHits++
  }
  return {
    overall: samples > 0 ? hits / samples : Number.NaN,
    chanceOverall: samples > 0 && n > 1 ? chanceHits / (samples * (n - 1)) : Number.NaN,
    samples,
    perAttribute,
  }
}
