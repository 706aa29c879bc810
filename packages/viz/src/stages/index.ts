/** Pipeline stages of @ganflow/viz (import from "@ganflow/viz/stages"). */
export { webDemo, webDemoParams, type WebDemoResult } from "./web-demo-stage.ts"
export { translationDemo, translationDemoParams } from "./translation-demo-stage.ts"
