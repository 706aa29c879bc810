import { conditionalDcgan } from "./conditional-dcgan.ts"
import { conditionalGan } from "./conditional-gan.ts"
import { dcgan } from "./dcgan.ts"
import { gan3d } from "./gan-3d.ts"
import type { GanModels } from "./gan-models.ts"
import type { GanSpec, WganCriticChoice } from "./gan-spec.ts"
import { kerasMnistGan } from "./vanilla-gan-keras.ts"
import { vanillaGan } from "./vanilla-gan.ts"
import { wganCritic } from "./wgan-critic.ts"

/**
 * Builds the models a {@link GanSpec} names (validated by its schema), with all initial weights drawn from `seed`.
 * The caller owns and disposes the returned models.
 */
export const buildGan = (spec: GanSpec, seed: number): GanModels => {
  switch (spec.architecture) {
    case "vanilla":
      return withCritic(vanillaGan({ ...spec.options, seed }), spec.critic, { architecture: "mlp", hidden: spec.options?.hidden ?? 500 }, seed)
    case "keras-mnist":
      return withCritic(kerasMnistGan({ ...spec.options, seed }), spec.critic, { architecture: "mlp", hidden: 512 }, seed)
    case "dcgan":
      return withCritic(dcgan({ ...spec.options, seed }), spec.critic, { architecture: "dcgan", ndf: spec.options?.ndf ?? spec.options?.ngf ?? 64 }, seed)
    case "gan3d":
      return gan3d({ ...spec.options, seed })
    case "conditional":
      return conditionalGan({ ...spec.options, seed })
    case "conditional-dcgan":
      return conditionalDcgan({ ...spec.options, seed })
  }
}

/** Replaces D by a WGAN critic of the same width (MLP hidden units, or DCGAN ndf). */
const withCritic = (
  models: GanModels,
  critic: WganCriticChoice | undefined,
  shape: { readonly architecture: "mlp"; readonly hidden: number } | { readonly architecture: "dcgan"; readonly ndf: number },
  seed: number,
): GanModels => {
  if (critic === undefined) return models
  models.discriminator.dispose()
  const discriminator = wganCritic({
    imageShape: models.imageShape,
    ...shape,
    normalization: critic === "wgan-layer-norm" ? "layer" : "none",
    seed: seed + 7919,
  })
  return { ...models, discriminator }
}
