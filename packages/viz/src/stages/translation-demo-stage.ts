/**
 * Stage `translation-demo`: the browser demo of a trained image-to-image network (see `@ganflow/viz`'s
 * translation demo): a static page that translates the first test images of the data stage — shown with their
 * targets on paired data — or an uploaded image, with the exported network running in TF.js in the page.
 */
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { centreCroppedImages, isDataError } from "@ganflow/data"
import { readUpstreamTranslation, type TranslationStageValue } from "@ganflow/data/stages"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import { translationDemoFiles, writeTranslationDemo } from "../translation-demo/index.ts"
import { type } from "arktype"
import { Effect } from "effect"


/** Params of {@link translationDemo}. */
export const translationDemoParams = type({
  "+": "reject",
  title: "string = 'ganflow image translation'",
  /** The exported network the page runs (a folder of the training stage's output). */
  network: "string = 'generator'",
  /** Domain names shown on the page. */
  from: "string = 'A'",
  to: "string = 'B'",
  /** Example images offered (the first of the test split). */
  examples: "1 <= number.integer <= 64 = 8",
  /** Which test split the examples come from: A (translated forward) or B (for a B -> A network). */
  domain: "'a' | 'b' = 'a'",
})

/** Writes the translation demo of the upstream training stage's network. */
export const translationDemo = defineStage({
  name: "translation-demo",
  version: 1,
  description: "static web page translating chosen or uploaded images with the trained image-to-image network in TF.js",
  params: translationDemoParams,
  inputs: { training: upstream<RecipeTrainingResult>(), data: upstream<TranslationStageValue>() },
  outputs: Object.values(translationDemoFiles),
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const data = readUpstreamTranslation(inputs.data)
        const size = data.value.cropSize
        const [from, to] = params.domain === "a" ? [data.test.a, data.test.b] : [data.test.b, data.test.a]
        const examples = centreCroppedImages(from, params.examples, size)
        const targets = data.paired ? centreCroppedImages(to, params.examples, size).pixels : undefined
        const demo = await writeTranslationDemo({
          modelDir: inputs.training.path(params.network), outDir, title: params.title, from: params.from, to: params.to,
          examples: examples.pixels, exampleCount: examples.count, ...(targets ? { targets } : {}),
        })
        return { page: "index.html", size: demo.config.size, examples: examples.count, scriptBytes: demo.bundle.bytes }
      }, isDataError)
    }),
})
