import * as tfl from "@tensorflow/tfjs-layers"
import type { FolderInput, UpstreamOutput } from "@ganflow/core"
import { Effect } from "effect"
import { ExtractorModelInvalid } from "../errors.ts"
import type { FeatureExtractor } from "../extractors/feature-extractor.ts"
import { loadInceptionV3Extractor } from "../extractors/inception-v3-extractor.ts"
import { mnistLenetExtractor } from "../extractors/mnist-lenet.ts"
import { randomCnnExtractor } from "../extractors/random-cnn.ts"
import { fileSystemModelLoader } from "@ganflow/models"

/** Folder, inside a feature-classifier stage's output, holding the trained layers model. */
export const CLASSIFIER_DIR = "classifier"

/** Which extractor a stage uses (JSON, so it can sit in params and stage values). */
export interface ExtractorChoice {
  readonly kind: "mnist-lenet" | "inception-v3" | "random-cnn"
  /** random-cnn only: weight seed. */
  readonly seed: number
  /** random-cnn only: [H, W, C] of the network input (the dataset's image size). */
  readonly inputSize: readonly [number, number, number]
}

/**
 * Opens the extractor a stage asked for: the trained classifier from the `classifier`
 * upstream, Inception-v3 from the `inceptionModel` folder, or the seeded random CNN.
 * Fails with ExtractorModelInvalid when the needed input is missing or unreadable. The caller
 * owns the extractor (dispose it).
 */
export const openStageExtractor = (
  choice: ExtractorChoice,
  inputs: { readonly classifier?: UpstreamOutput<unknown> | undefined; readonly inceptionModel?: FolderInput | undefined },
): Effect.Effect<FeatureExtractor, ExtractorModelInvalid> => {
  switch (choice.kind) {
    case "random-cnn":
      return Effect.sync(() => randomCnnExtractor(choice.inputSize, choice.seed))
    case "inception-v3": {
      const folder = inputs.inceptionModel
      if (folder === undefined) {
        return Effect.fail(new ExtractorModelInvalid({ extractor: "inception-v3", path: "<inputs.inceptionModel>", reason: "bind the inceptionModel input to a converted model folder" }))
      }
      return loadInceptionV3Extractor(folder.path)
    }
    case "mnist-lenet": {
      const upstream = inputs.classifier
      if (upstream === undefined) {
        return Effect.fail(new ExtractorModelInvalid({ extractor: "mnist-lenet", path: "<inputs.classifier>", reason: "bind the classifier input to a feature-classifier stage" }))
      }
      const dir = upstream.path(CLASSIFIER_DIR)
      return Effect.tryPromise({
        try: () => tfl.loadLayersModel(fileSystemModelLoader(dir)),
        catch: (cause) => new ExtractorModelInvalid({ extractor: "mnist-lenet", path: dir, reason: String(cause) }),
      }).pipe(Effect.map((model) => mnistLenetExtractor(model)))
    }
  }
}
