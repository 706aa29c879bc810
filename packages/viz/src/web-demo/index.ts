/**
 * The browser demo of an exported generator. Pipelines use it as the `web-demo` stage (`@ganflow/viz/stages`); it is
 * not re-exported from the package root, so commands that load `@ganflow/viz` for pictures do not load the trainer.
 */
export { writeWebDemo, writeDemoModelFiles, webDemoFiles, type WebDemoOptions, type WebDemo } from "./write-web-demo.ts"
export { checkGeneratorModel, loadExportedModel, readExportedModel, type ExportedModel } from "./exported-model.ts"
export { buildDemoBundle, latentDemoPage, type DemoBundle, type DemoPageEntry } from "./demo-bundle.ts"
export type { DemoConfig } from "./demo-config.ts"
export { WebDemoModelInvalid, WebDemoBundleFailed, WebDemoOptionsInvalid, type WebDemoError } from "./errors.ts"
