/**
 * The sampling contract of an exported generator, owned by the trainer: what a consumer (metrics, renders, the
 * browser demo) needs to feed it and read its output. Written as `gan.json` beside every exported generator's
 * `model.json` (the final one and each checkpoint's) and returned in the `train-gan` stage's value.
 */
import type { GanModels } from "@ganflow/models"
import { type } from "arktype"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { GeneratorDescriptionInvalid } from "./errors.ts"

/** The schema of `gan.json`. */
export const GeneratorDescriptionSchema = type({
  /** The architecture's name in `GanSpec` (`dcgan`, `gan3d`, …). */
  architecture: "string",
  /** Length of the latent vector z (standard normal); the first input is `[N, latentDim]`. */
  latentDim: "number.integer > 0",
  /** Conditional models: labels are integers in [0, numClasses), fed as a second input `[N, 1]`; null otherwise. */
  numClasses: "number.integer > 0 | null",
  /** "tanh": pixels in [-1, 1]; "sigmoid": in [0, 1] (voxel occupancy for gan3d). */
  outputRange: "'tanh' | 'sigmoid'",
  /** Shape of one generated sample, channels last: [H, W, C] or [D, H, W, 1]. */
  sampleShape: "(number.integer > 0)[]",
})

/** The sampling contract of an exported generator (the content of `gan.json`). */
export interface GeneratorDescription {
  readonly [key: string]: unknown
  readonly architecture: string
  readonly latentDim: number
  readonly numClasses: number | null
  readonly outputRange: "tanh" | "sigmoid"
  readonly sampleShape: readonly number[]
}

/**
 * What a consumer needs to feed an exported network of any recipe (its inputs, their shapes and ranges), written as
 * `gan.json` beside its `model.json`; a generator of latents has the {@link GeneratorDescription} fields.
 */
export type NetworkDescription = Readonly<Record<string, unknown>>

/** File name of the description beside an exported generator's `model.json`. */
export const GENERATOR_DESCRIPTION_FILE = "gan.json"

/** The description of the generator of `models`, built as `architecture`. */
export const describeGanModels = (models: GanModels, architecture: string): GeneratorDescription => ({
  architecture,
  latentDim: models.latentDim,
  numClasses: models.numClasses ?? null,
  outputRange: models.outputRange,
  sampleShape: [...models.imageShape],
})

/** Writes `<dir>/gan.json` (the folder must exist). */
export const writeGeneratorDescription = (dir: string, description: NetworkDescription): void =>
  writeFileSync(join(dir, GENERATOR_DESCRIPTION_FILE), JSON.stringify(description, null, 1))

/** Reads `<dir>/gan.json`. Throws {@link GeneratorDescriptionInvalid} when it is missing, not JSON or off-schema. */
export const readGeneratorDescription = (dir: string): GeneratorDescription => {
  const file = join(dir, GENERATOR_DESCRIPTION_FILE)
  if (!existsSync(file)) throw new GeneratorDescriptionInvalid({ file, reason: "no such file (export the generator with exportGenerator or the train-gan stage)" })
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, "utf8"))
  } catch (e) {
    throw new GeneratorDescriptionInvalid({ file, reason: `not JSON: ${(e as Error).message}` })
  }
  const parsed = GeneratorDescriptionSchema(json)
  if (parsed instanceof type.errors) throw new GeneratorDescriptionInvalid({ file, reason: parsed.summary })
  return parsed
}
