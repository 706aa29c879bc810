/**
 * The six age groups of Age-cGAN (Antipov et al. 2017), used by the IMDB-WIKI reader, the synthetic faces' age
 * attribute and the age classifier: label k is `ageGroups[k]`.
 */
export const ageGroups = ["0-18", "19-29", "30-39", "40-49", "50-59", "60+"] as const

/** One of {@link ageGroups}. */
export type AgeGroup = (typeof ageGroups)[number]

/**
 * The group label (0..5) of an age in whole years: 0-18 -> 0, 19-29 -> 1, 30-39 -> 2, 40-49 -> 3, 50-59 -> 4,
 * 60+ -> 5 (the book's `age_to_category`; age 0, which the book leaves without a group, goes to 0-18 as the name says). Negative or non-integer ages -> undefined.
 */
export const ageGroupOf = (age: number): number | undefined => {
  if (!Number.isInteger(age) || age < 0) return undefined
  if (age <= 18) return 0
  if (age <= 29) return 1
  if (age >= 60) return 5
  return Math.floor(age / 10) - 1
}
