/**
 * The browser demo of an image-to-image generator (pix2pix, CycleGAN): pick an example or upload an image, see it
 * translated in the page. Pipelines use it as the `translation-demo` stage (`@ganflow/viz/stages`).
 */
export { writeTranslationDemo, translationDemoFiles, type TranslationDemoOptions, type TranslationDemo } from "./write-translation-demo.ts"
export type { TranslationDemoConfig, TranslationExamples } from "./translation-demo-config.ts"
