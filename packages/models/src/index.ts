/**
 * @ganflow/models — generators and discriminators written like their papers' tables, and the custom layers the
 * training tricks need (all registered with `tf.serialization`, so they round-trip through model.json).
 */
export type { GanModels } from "./gan-models.ts"
export { vanillaGan, type VanillaGanOptions } from "./vanilla-gan.ts"
export { kerasMnistGan, type KerasMnistGanOptions } from "./vanilla-gan-keras.ts"
export { dcgan, type DcganOptions } from "./dcgan.ts"
export { gan3d, type Gan3dOptions } from "./gan-3d.ts"
export { conditionalGan, type ConditionalGanOptions } from "./conditional-gan.ts"
export { conditionalDcgan, type ConditionalDcganOptions } from "./conditional-dcgan.ts"
export { wganCritic, type WganCriticOptions } from "./wgan-critic.ts"
export { buildGan, ganArchitectures, type GanArchitecture, type GanSpec, type WganCriticChoice } from "./build-gan.ts"
export { countTrainableParameters, countNonTrainableParameters } from "./parameter-count.ts"
export { trainableVariablesOf, allVariablesOf } from "./model-variables.ts"
export { layerSeeds, type LayerSeeds } from "./seeded-initializers.ts"
export { fileSystemModelSaver, fileSystemModelLoader, registerFileSystemModelRouters, modelDirectoryOf } from "./file-system-model-io.ts"
export * from "./layers/index.ts"
