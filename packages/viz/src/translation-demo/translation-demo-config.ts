/**
 * What the translation demo page needs to know. Written into `index.html` as JSON (`#ganflow-translation-config`)
 * by `writeTranslationDemo`, read by the page.
 */
export interface TranslationDemoConfig {
  /** Page heading and `<title>`. */
  readonly title: string
  /** What the generator maps, for the labels: e.g. "sketch" and "face". */
  readonly from: string
  readonly to: string
  /** Square side of the generator's input and output images. */
  readonly size: number
  /** Number of chosen example inputs (in `examples.js`). */
  readonly exampleCount: number
  /** Whether the examples carry targets (paired data) shown next to the output. */
  readonly hasTargets: boolean
  /** Paths relative to the page: the TF.js layers model (http), its inline script (file://), the examples script. */
  readonly modelJsonPath: string
  readonly modelScriptPath: string
  readonly examplesScriptPath: string
}

/** What `examples.js` defines as `window.ganflowTranslationExamples`: uint8 RGB `[count, size, size, 3]` as base64. */
export interface TranslationExamples {
  readonly inputsBase64: string
  readonly targetsBase64: string | null
}
