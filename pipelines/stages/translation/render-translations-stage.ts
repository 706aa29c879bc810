/**
 * Stage `render-translations`: translation grids of a recipe training stage's image-to-image networks on the same
 * test images at every checkpoint — `checkpoints/<id>.png`, the final `grid.png` and `progress.gif` (the grids as
 * frames). Paired data (pix2pix: `backward` empty): each row input | output | target. Cycle mode (CycleGAN:
 * `backward` names the B → A network): each row A → G(A) → F(G(A)) | B → F(B) → G(F(B)).
 * Rendering params change only this stage, never the training.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { startedBackend } from "@ganflow/backend"
import { defineStage, StageEvents, tryAsync, upstream } from "@ganflow/core"
import { centreCroppedImages, isDataError } from "@ganflow/data"
import { readUpstreamTranslation, type TranslationStageValue } from "@ganflow/data/stages"
import type { RecipeTrainingResult } from "@ganflow/trainers/stages"
import { encodeProgressGif, encodeRgbPng, type ImageBatch, imagesFromFloats, layoutTranslationGrid, type RgbFrame } from "@ganflow/viz"
import { type } from "arktype"
import { Effect } from "effect"
import { loadTranslator, translateImages, translationSnapshots } from "./translation-snapshots.ts"

/** Params of {@link renderTranslations}. */
export const renderTranslationsParams = type({
  "+": "reject",
  /** The network translating A to B (an export of the training stage). */
  forward: "string = 'generator'",
  /** The network translating B to A; empty: paired grids (input | output | target). */
  backward: "string = ''",
  /** Test images per grid (the first of the test split). */
  count: "number.integer >= 1 = 8",
  /** Examples side by side per row. */
  examplesPerRow: "number.integer >= 1 = 2",
  /** Integer upscale of each pixel. */
  scale: "number.integer >= 1 = 2",
  /** Milliseconds per GIF frame. */
  frameMs: "number.integer >= 20 = 500",
})

/** Translation grids per checkpoint, the final grid and the progress GIF. */
export const renderTranslations = defineStage({
  name: "render-translations",
  resources: { gpu: 1 },
  version: 1,
  description: "translation grids (input | output | target, or A -> B -> A | B -> A -> B) per checkpoint, and the progress GIF",
  params: renderTranslationsParams,
  inputs: { training: upstream<RecipeTrainingResult>(), data: upstream<TranslationStageValue>() },
  outputs: ["grid.png", "progress.gif"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { progress, env } = yield* StageEvents
      env({ backend: yield* startedBackend })
      return yield* tryAsync(async () => {
        const data = readUpstreamTranslation(inputs.data)
        const size = data.value.cropSize
        const a = centreCroppedImages(data.test.a, params.count, size)
        const b = centreCroppedImages(data.test.b, params.count, size)
        const cycle = params.backward !== ""
        const count = cycle ? Math.min(a.count, b.count) : a.count
        const batch = (pixels: Uint8Array): ImageBatch => ({ count, height: size, width: size, channels: 3, pixels: pixels.subarray(0, count * size * size * 3) })
        const floats = (values: Float32Array) => imagesFromFloats(values, [count, size, size, 3], "tanh")
        const snapshots = translationSnapshots(inputs.training)
        const frames: RgbFrame[] = []
        mkdirSync(join(outDir, "checkpoints"), { recursive: true })
        for (const [i, snapshot] of snapshots.entries()) {
          progress({ step: i, total: snapshots.length, message: snapshot.id })
          const forward = await loadTranslator(snapshot.dir(params.forward))
          const backward = cycle ? await loadTranslator(snapshot.dir(params.backward)) : undefined
          try {
            let columns: ImageBatch[]
            if (backward === undefined) {
              columns = [batch(a.pixels), floats(await translateImages(forward, a.pixels, count, size)), batch(b.pixels)]
            } else {
              const fakeB = await translateImages(forward, a.pixels, count, size)
              const fakeA = await translateImages(backward, b.pixels, count, size)
              const recA = await translateImages(backward, fakeB, count, size)
              const recB = await translateImages(forward, fakeA, count, size)
              columns = [batch(a.pixels), floats(fakeB), floats(recA), batch(b.pixels), floats(fakeA), floats(recB)]
            }
            const frame = layoutTranslationGrid(columns, { scale: params.scale, examplesPerRow: cycle ? 1 : params.examplesPerRow })
            const png = await encodeRgbPng(frame)
            if (snapshot.id === "final") writeFileSync(join(outDir, "grid.png"), png)
            else {
              writeFileSync(join(outDir, "checkpoints", `${snapshot.id}.png`), png)
              frames.push(frame)
            }
            if (snapshot.id === "final" && frames.length === 0) frames.push(frame)
          } finally {
            forward.dispose()
            backward?.dispose()
          }
        }
        writeFileSync(join(outDir, "progress.gif"), encodeProgressGif(frames, params.frameMs))
        return { count, mode: cycle ? "cycle" : "paired", checkpoints: snapshots.filter((s) => s.id !== "final").map((s) => s.step) }
      }, isDataError)
    }),
})
