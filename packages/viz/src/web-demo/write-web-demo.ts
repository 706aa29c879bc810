/**
 * Writes the browser demo of an exported generator: a static folder that runs the generator with TF.js in the
 * page (new samples, latent sliders, interpolation, class selector) and works opened straight from disk or
 * served over http.
 *
 * ```
 * <outDir>/index.html        the page (open it)
 * <outDir>/ganflow-demo.js   TF.js + custom layers + page code (esbuild bundle)
 * <outDir>/model/model.json  the generator, TF.js layers format (fetched over http)
 * <outDir>/model/weights.bin
 * <outDir>/model/model.js    the same model inline (base64 weights), loaded from file:// where fetch is blocked
 * ```
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { readGeneratorDescription, type GeneratorDescription } from "@ganflow/trainers"
import type { DemoConfig } from "./demo-config.ts"
import { buildDemoBundle, type DemoBundle } from "./demo-bundle.ts"
import { renderDemoHtml } from "./demo-page-html.ts"
import { WebDemoOptionsInvalid } from "./errors.ts"
import { checkGeneratorModel, type ExportedModel, readExportedModel } from "./exported-model.ts"

/** Options of {@link writeWebDemo}. Everything about the generator itself is read from its model.json and gan.json. */
export interface WebDemoOptions {
  /** Folder of the exported generator: `model.json`, the weight files it lists (`weights.bin`) and `gan.json`. */
  readonly modelDir: string
  /** Folder to write the demo into (created; existing files of the same names are replaced). */
  readonly outDir: string
  /** Page title (default "ganflow generator"). */
  readonly title?: string
  /** Samples in the grid (default 16). */
  readonly sampleCount?: number
  /** Seed of the page's latent draws (default 0). */
  readonly seed?: number
  /** Latent sliders (default 8, at most latentDim). */
  readonly sliderCount?: number
  /** Images in the interpolation strip (default 8). */
  readonly interpolationSteps?: number
  /** Output range; default: the description's (tanh or sigmoid). */
  readonly outputRange?: "tanh" | "sigmoid"
  /** Classes of a conditional generator: count (default: the description's `numClasses`, at most that) and display names. */
  readonly labels?: { readonly count?: number; readonly names?: readonly string[] }
}

/** What {@link writeWebDemo} wrote. */
export interface WebDemo {
  /** Absolute path of the page to open. */
  readonly indexHtml: string
  /** Files written, relative to `outDir`. */
  readonly files: readonly string[]
  readonly config: DemoConfig
  /** The trainer's description of the generator (its `gan.json`). */
  readonly generator: GeneratorDescription
  readonly bundle: DemoBundle
}

/** File names inside the demo folder. */
export const webDemoFiles = {
  page: "index.html",
  script: "ganflow-demo.js",
  modelJson: "model/model.json",
  weights: "model/weights.bin",
  modelScript: "model/model.js",
} as const

/**
 * Writes the demo folder for the generator in `modelDir`. Fails with `GeneratorDescriptionInvalid` (no valid
 * `gan.json`), `WebDemoModelInvalid` (the model does not load or differs from its description),
 * `WebDemoOptionsInvalid` (e.g. class names that do not match the classes) or `WebDemoBundleFailed`.
 */
export const writeWebDemo = async (options: WebDemoOptions): Promise<WebDemo> => {
  const model = readExportedModel(options.modelDir)
  const generator = readGeneratorDescription(options.modelDir)
  await checkGeneratorModel(model, generator)
  const config = demoConfigFor(generator, options)
  const bundle = await buildDemoBundle()

  writeDemoModelFiles(options.outDir, model, "ganflow web demo")
  copyFileSync(bundle.path, join(options.outDir, webDemoFiles.script))
  const indexHtml = join(options.outDir, webDemoFiles.page)
  writeFileSync(indexHtml, renderDemoHtml(config, webDemoFiles.script))
  return { indexHtml, files: Object.values(webDemoFiles), config, generator, bundle }
}

/**
 * Writes a demo's copy of an exported model: `model/model.json` with one weights file `model/weights.bin` (fetched
 * over http) and `model/model.js`, the same model inline as `window.ganflowGenerator` (for file://, where fetch is
 * blocked). Creates `<outDir>/model`.
 */
export const writeDemoModelFiles = (outDir: string, model: ExportedModel, generatedBy: string): void => {
  mkdirSync(join(outDir, "model"), { recursive: true })
  // one weights file, whatever the export split it into
  writeFileSync(join(outDir, webDemoFiles.weights), model.weightData)
  writeFileSync(
    join(outDir, webDemoFiles.modelJson),
    JSON.stringify({ format: "layers-model", generatedBy, convertedBy: null, modelTopology: model.modelTopology, weightsManifest: [{ paths: ["weights.bin"], weights: model.weightSpecs }] }),
  )
  const inline = { modelTopology: model.modelTopology, weightSpecs: model.weightSpecs, weightsBase64: Buffer.from(model.weightData).toString("base64") }
  writeFileSync(join(outDir, webDemoFiles.modelScript), `window.ganflowGenerator = ${JSON.stringify(inline)};\n`)
}

const demoConfigFor = (generator: GeneratorDescription, options: WebDemoOptions): DemoConfig => {
  const invalid = (option: string, reason: string) => new WebDemoOptionsInvalid({ option, reason })
  const outputRange = options.outputRange ?? generator.outputRange
  let classCount: number | null = null
  let classNames: readonly string[] | null = null
  if (generator.numClasses !== null) {
    classCount = options.labels?.count ?? generator.numClasses
    if (classCount > generator.numClasses) throw invalid("labels.count", `${classCount} classes, but the generator has ${generator.numClasses}`)
    classNames = options.labels?.names ?? null
    if (classNames !== null && classNames.length !== classCount) throw invalid("labels.names", `${classNames.length} names for ${classCount} classes`)
  } else if (options.labels !== undefined) {
    throw invalid("labels", "the generator is not conditional (it has one input)")
  }
  const positive = (option: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw invalid(option, `${value} is not an integer >= ${min}`)
    return value
  }
  return {
    title: options.title ?? "ganflow generator",
    latentDim: generator.latentDim,
    classCount,
    classNames,
    outputShape: generator.sampleShape,
    outputRange,
    sampleCount: positive("sampleCount", options.sampleCount ?? 16, 1),
    seed: positive("seed", options.seed ?? 0, 0),
    sliderCount: Math.min(positive("sliderCount", options.sliderCount ?? 8, 0), generator.latentDim),
    interpolationSteps: positive("interpolationSteps", options.interpolationSteps ?? 8, 0),
    modelJsonPath: webDemoFiles.modelJson,
    modelScriptPath: webDemoFiles.modelScript,
  }
}
