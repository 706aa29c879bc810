/**
 * Writes the browser demo of an exported image-to-image generator (pix2pix's U-Net, CycleGAN's ResNet generator):
 * a static folder that translates chosen example images, or an uploaded one, with TF.js in the page, opened straight
 * from disk or served over http.
 *
 * ```
 * <outDir>/index.html                 the page (open it)
 * <outDir>/ganflow-translation.js     TF.js + custom layers + page code (esbuild bundle)
 * <outDir>/examples.js                the example inputs (and targets) as base64 uint8
 * <outDir>/model/model.json, weights.bin, model.js   the generator (fetched over http / inline for file://)
 * ```
 */
import { copyFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { buildDemoBundle, type DemoBundle } from "../web-demo/demo-bundle.ts"
import { WebDemoModelInvalid, WebDemoOptionsInvalid } from "../web-demo/errors.ts"
import { type ExportedModel, loadExportedModel, readExportedModel } from "../web-demo/exported-model.ts"
import { webDemoFiles, writeDemoModelFiles } from "../web-demo/write-web-demo.ts"
import { translationPageModule } from "./browser/translation-page.ts"
import type { TranslationDemoConfig, TranslationExamples } from "./translation-demo-config.ts"
import { renderTranslationDemoHtml } from "./translation-demo-html.ts"

/** Options of {@link writeTranslationDemo}. */
export interface TranslationDemoOptions {
  /** Folder of the exported generator: `model.json` and the weight files it lists. */
  readonly modelDir: string
  readonly outDir: string
  readonly title?: string
  /** Domain names for the labels (default "A" and "B"). */
  readonly from?: string
  readonly to?: string
  /** Example inputs: uint8 RGB `[N, size, size, 3]`, and their targets (paired data) of the same shape. */
  readonly examples: Uint8Array
  readonly targets?: Uint8Array
  readonly exampleCount: number
}

/** What {@link writeTranslationDemo} wrote. */
export interface TranslationDemo {
  readonly indexHtml: string
  readonly files: readonly string[]
  readonly config: TranslationDemoConfig
  readonly bundle: DemoBundle
}

/** File names inside the demo folder. */
export const translationDemoFiles = {
  page: "index.html",
  script: "ganflow-translation.js",
  examples: "examples.js",
  modelJson: webDemoFiles.modelJson,
  weights: webDemoFiles.weights,
  modelScript: webDemoFiles.modelScript,
} as const

/** Loads the exported model and returns its square image size; WebDemoModelInvalid unless it maps [N,S,S,3] to [N,S,S,3]. */
const translationSize = async (model: ExportedModel): Promise<number> => {
  const invalid = (reason: string) => new WebDemoModelInvalid({ file: model.modelJsonFile, reason })
  const generator = await loadExportedModel(model)
  try {
    const input = generator.inputs.map((t) => t.shape)
    const output = generator.outputs.map((t) => t.shape)
    const [, h, w, c] = input[0] ?? []
    if (input.length !== 1 || output.length !== 1 || h !== w || c !== 3 || typeof h !== "number" || output[0]!.slice(1).join("x") !== `${h}x${h}x3`) {
      throw invalid(`an image-to-image generator maps [N, S, S, 3] to [N, S, S, 3]; this one maps ${JSON.stringify(input)} to ${JSON.stringify(output)}`)
    }
    return h
  } finally {
    generator.dispose()
  }
}

/**
 * Writes the demo folder. Fails with WebDemoModelInvalid (the model does not load or is not image-to-image),
 * WebDemoOptionsInvalid (examples that do not fit the model) or WebDemoBundleFailed.
 */
export const writeTranslationDemo = async (options: TranslationDemoOptions): Promise<TranslationDemo> => {
  const model = readExportedModel(options.modelDir)
  const size = await translationSize(model)
  const item = size * size * 3
  if (options.exampleCount < 1 || options.examples.length !== options.exampleCount * item) {
    throw new WebDemoOptionsInvalid({ option: "examples", reason: `${options.examples.length} bytes for ${options.exampleCount} examples of ${size}x${size}x3` })
  }
  if (options.targets !== undefined && options.targets.length !== options.examples.length) {
    throw new WebDemoOptionsInvalid({ option: "targets", reason: `${options.targets.length} bytes, the examples have ${options.examples.length}` })
  }
  const config: TranslationDemoConfig = {
    title: options.title ?? "ganflow image translation",
    from: options.from ?? "A",
    to: options.to ?? "B",
    size,
    exampleCount: options.exampleCount,
    hasTargets: options.targets !== undefined,
    modelJsonPath: translationDemoFiles.modelJson,
    modelScriptPath: translationDemoFiles.modelScript,
    examplesScriptPath: translationDemoFiles.examples,
  }
  const bundle = await buildDemoBundle({ module: translationPageModule, start: "startTranslationDemoFromPage" })
  writeDemoModelFiles(options.outDir, model, "ganflow translation demo")
  copyFileSync(bundle.path, join(options.outDir, translationDemoFiles.script))
  const examples: TranslationExamples = {
    inputsBase64: Buffer.from(options.examples).toString("base64"),
    targetsBase64: options.targets === undefined ? null : Buffer.from(options.targets).toString("base64"),
  }
  writeFileSync(join(options.outDir, translationDemoFiles.examples), `window.ganflowTranslationExamples = ${JSON.stringify(examples)};\n`)
  const indexHtml = join(options.outDir, translationDemoFiles.page)
  writeFileSync(indexHtml, renderTranslationDemoHtml(config, translationDemoFiles.script))
  return { indexHtml, files: Object.values(translationDemoFiles), config, bundle }
}
