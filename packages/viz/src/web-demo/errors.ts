import { Data } from "effect"

/** An exported generator (`model.json` + weights) is missing, unreadable, or does not fit the demo. */
export class WebDemoModelInvalid extends Data.TaggedError("WebDemoModelInvalid")<{
  /** The file (usually `<dir>/model.json`) that could not be used. */
  readonly file: string
  readonly reason: string
}> {
  override get message() {
    return `web demo: generator ${this.file} cannot be used: ${this.reason}`
  }
}

/** esbuild could not bundle the demo page's script (TF.js, the custom layers and the page code). */
export class WebDemoBundleFailed extends Data.TaggedError("WebDemoBundleFailed")<{
  /** The page module that was the bundle's entry. */
  readonly entry: string
  readonly reason: string
}> {
  override get message() {
    return `web demo: bundling ${this.entry} failed: ${this.reason}`
  }
}

/** Every error the web demo writer can fail with. */
export type WebDemoError = WebDemoModelInvalid | WebDemoBundleFailed | WebDemoOptionsInvalid

/** An option of `writeWebDemo` does not fit the generator (class names vs classes, a missing output range…). */
export class WebDemoOptionsInvalid extends Data.TaggedError("WebDemoOptionsInvalid")<{
  readonly option: string
  readonly reason: string
}> {
  override get message() {
    return `web demo: option ${this.option}: ${this.reason}`
  }
}
