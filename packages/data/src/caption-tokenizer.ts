/**
 * Words of captions and their ids for a word-level text encoder: lower-case runs of letters ("Side-swept bangs," ->
 * side, swept, bangs); ids index a vocabulary built from the training captions (0 = padding, 1 = unknown word,
 * then the words sorted), each caption padded or cut to `maxLength` ids.
 */

/** The words a text encoder knows, and the token length it reads. */
export interface CaptionVocabulary {
  /** `words[0]` = "<pad>", `words[1]` = "<unk>", then the known words, sorted. */
  readonly words: readonly string[]
  /** Tokens per caption (longer captions are cut, shorter ones padded with id 0). */
  readonly maxLength: number
}

/** The words of a caption: lower-case runs of a–z. */
export const captionWords = (text: string): string[] => text.toLowerCase().match(/[a-z]+/g) ?? []

/** A vocabulary of every word in `captions`; `maxLength` = the longest caption's word count, at most `cap`. */
export const buildCaptionVocabulary = (captions: readonly string[], cap = 32): CaptionVocabulary => {
  const words = new Set<string>()
  let longest = 1
  for (const c of captions) {
    const w = captionWords(c)
    longest = Math.max(longest, w.length)
    for (const x of w) words.add(x)
  }
  return { words: ["<pad>", "<unk>", ...[...words].sort()], maxLength: Math.min(longest, cap) }
}

/** Token ids [captions.length, maxLength], row-major (unknown words -> 1, padding -> 0). */
export const tokenizeCaptions = (vocabulary: CaptionVocabulary, captions: readonly string[]): Int32Array => {
  const index = new Map(vocabulary.words.map((w, i) => [w, i]))
  const L = vocabulary.maxLength
  const ids = new Int32Array(captions.length * L)
  captions.forEach((c, row) => captionWords(c).slice(0, L).forEach((w, k) => (ids[row * L + k] = index.get(w) ?? 1)))
  return ids
}
