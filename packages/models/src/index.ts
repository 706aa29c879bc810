/**
 * @ganflow/models — generators and discriminators written like their papers' tables, and the custom layers the
 * training tricks need (all registered with `tf.serialization`, so they round-trip through model.json).
 */
export type { GanModels } from "./gan-models.ts"
export { vanillaGan, VanillaGanOptions } from "./vanilla-gan.ts"
export { kerasMnistGan, KerasMnistGanOptions } from "./vanilla-gan-keras.ts"
export { dcgan, DcganOptions } from "./dcgan.ts"
export { gan3d, Gan3dOptions } from "./gan-3d.ts"
export { conditionalGan, ConditionalGanOptions } from "./conditional-gan.ts"
export { conditionalDcgan, ConditionalDcganOptions } from "./conditional-dcgan.ts"
export { wganCritic, type WganCriticOptions } from "./wgan-critic.ts"
export { GanSpec, ganSpecs, ganArchitectures, type GanArchitecture, WganCriticChoice } from "./gan-spec.ts"
export { buildGan } from "./build-gan.ts"
export { ImageShape } from "./image-shape.ts"
export type { SeedOption } from "./seeded-initializers.ts"
export { countTrainableParameters, countNonTrainableParameters } from "./parameter-count.ts"
export { trainableVariablesOf, allVariablesOf } from "./model-variables.ts"
export { layerSeeds, type LayerSeeds } from "./seeded-initializers.ts"
export { fileSystemModelSaver, fileSystemModelLoader, registerFileSystemModelRouters, modelDirectoryOf } from "./file-system-model-io.ts"
export * from "./layers/index.ts"
export { textConditionalGan, TextConditionalGanOptions, type TextConditionalGanModels } from "./text-conditional-gan.ts"
export { stackganStage1, StackganStage1Options, type StackganModels } from "./stackgan-stage1.ts"
export { stackganStage2, StackganStage2Options } from "./stackgan-stage2.ts"
