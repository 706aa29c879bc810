/**
 * What the demo page needs to know about its generator and how to present it. Written into `index.html` as
 * JSON (a `<script type="application/json" id="ganflow-demo-config">`) by `writeWebDemo`, read by the page.
 */
export interface DemoConfig {
  /** Page heading and `<title>`. */
  readonly title: string
  /** Length of the latent vector z (the generator's first input is `[N, latentDim]`). */
  readonly latentDim: number
  /** Number of classes of a conditional generator (second input `[N, 1]` of class ids), or null. */
  readonly classCount: number | null
  /** Display names of the classes (`classCount` long), or null to show "class 0", "class 1", … */
  readonly classNames: readonly string[] | null
  /** Shape of one output, channels last: `[H, W, C]` for images, `[D, H, W, 1]` for volumes. */
  readonly outputShape: readonly number[]
  /** `"tanh"`: outputs in [-1, 1]; `"sigmoid"`: in [0, 1]. */
  readonly outputRange: "tanh" | "sigmoid"
  /** Samples in the grid. */
  readonly sampleCount: number
  /** Seed of the page's latent draws (the first grid is the same on every load). */
  readonly seed: number
  /** Latent sliders shown for the selected sample (the first `sliderCount` coordinates of z). */
  readonly sliderCount: number
  /** Images in the interpolation strip, both ends included. */
  readonly interpolationSteps: number
  /** Path of the TF.js layers model, relative to the page (fetched when served over http). */
  readonly modelJsonPath: string
  /** Path of the script that defines the model inline (used from file://, where fetch is blocked). */
  readonly modelScriptPath: string
}
