/** Word tokenisation shared by the demo stages (a workspace module the stages import: editing it reruns them). */

/** Split text into words: letters, digits and apostrophes, optionally lower-cased. */
export const tokens = (text: string, lowercase: boolean): string[] =>
  (lowercase ? text.toLowerCase() : text).match(/[\p{L}\p{N}']+/gu) ?? []
