/** The browser demo of an exported generator (import from "@ganflow/viz" or "@ganflow/viz/web-demo/index"). */
export { writeWebDemo, webDemoFiles, type WebDemoOptions, type WebDemo } from "./write-web-demo.ts"
export { checkGeneratorModel, readExportedModel, type ExportedModel } from "./exported-model.ts"
export { buildDemoBundle, type DemoBundle } from "./demo-bundle.ts"
export type { DemoConfig } from "./demo-config.ts"
export { WebDemoModelInvalid, WebDemoBundleFailed, WebDemoOptionsInvalid, type WebDemoError } from "./errors.ts"
