/**
 * Stage `web-demo`: the browser demo of a trained generator. Input `training`: a `train-gan` stage (its
 * `generator/model.json` + `weights.bin`); latent size, classes, output shape and range are the trainer's
 * description of it (`gan.json`), checked against the model.
 * With a `checkpoint` input (a select-checkpoint stage) the page runs the selected snapshot instead.
 * Output: a static folder whose `index.html` runs the generator with TF.js in the page (grid of samples,
 * "New samples", latent sliders, interpolation strip, class selector) opened from disk or served over http.
 */
import type { TrainGanResult } from "@ganflow/trainers/stages"
import type { SelectedCheckpoint } from "@ganflow/trainers"
import { isDataError } from "@ganflow/data"
import { join } from "node:path"
import { startedBackend } from "@ganflow/backend"
import { defineStage, upstream, StageEvents, tryAsync } from "@ganflow/core"
import { type } from "arktype"
import { Effect } from "effect"
import { writeWebDemo } from "../web-demo/write-web-demo.ts"

/** Params of {@link webDemo}. */
export const webDemoParams = type({
  /** page title and heading */
  title: "string = 'ganflow generator'",
  /** samples in the grid */
  sampleCount: "1 <= number.integer <= 64 = 16",
  /** seed of the page's latent draws (the first grid is the same on every load) */
  seed: "number.integer >= 0 = 0",
  /** latent sliders for the selected sample (its first coordinates of z) */
  sliders: "0 <= number.integer <= 32 = 8",
  /** images in the interpolation strip, both ends included */
  interpolationSteps: "0 <= number.integer <= 16 = 8",
  /** display names of a conditional generator's classes, in class-id order */
  "classNames?": "string[]",
  /** folder of the upstream's outputs holding model.json (a snapshot such as checkpoints/step-000500 works too) */
  generator: "string = 'generator'",
  /** output range of the page's pixels; default: the generator's own (its gan.json) */
  "outputRange?": "'tanh' | 'sigmoid'",
})

/** What the stage returns (kept in its manifest). */
export interface WebDemoResult {
  readonly page: "index.html"
  readonly latentDim: number
  readonly classCount: number | null
  readonly outputShape: readonly number[]
  readonly outputRange: "tanh" | "sigmoid"
  /** Size of the page's script (TF.js + page code), bytes. */
  readonly scriptBytes: number
}

/** Writes the browser demo of the upstream training stage's generator. */
export const webDemo = defineStage({
  name: "web-demo",
  version: 1,
  description: "static web page running the trained generator with TF.js in the browser: samples, latent sliders, interpolation",
  params: webDemoParams,
  inputs: { training: upstream<TrainGanResult>(), checkpoint: upstream<SelectedCheckpoint>({ optional: true }) },
  outputs: ["index.html", "ganflow-demo.js", "model/model.json", "model/weights.bin", "model/model.js"],
  run: ({ params, inputs, outDir, finalDir }) =>
    Effect.gen(function* () {
      const { log, env } = yield* StageEvents
      // the generator is loaded and sampled with tfjs: the backend must have started (another stage may be starting it)
      env({ backend: yield* startedBackend })
      return yield* tryAsync(
        async (): Promise<WebDemoResult> => {
          const demo = await writeWebDemo({
            modelDir: inputs.training.path(inputs.checkpoint?.value.generatorFolder ?? params.generator),
            outDir,
            title: params.title,
            sampleCount: params.sampleCount,
            seed: params.seed,
            sliderCount: params.sliders,
            interpolationSteps: params.interpolationSteps,
            ...(params.outputRange !== undefined ? { outputRange: params.outputRange } : {}),
            ...(params.classNames !== undefined ? { labels: { names: params.classNames } } : {}),
          })
          log(`open ${join(finalDir, "index.html")} in a browser (or serve the folder over http)`)
          const c = demo.config
          return { page: "index.html", latentDim: c.latentDim, classCount: c.classCount, outputShape: c.outputShape, outputRange: c.outputRange, scriptBytes: demo.bundle.bytes }
        },
        isDataError,
      )
    }),
})
