/**
 * What a pipeline config says about the GAN to build: one arktype schema per architecture (its name, its options,
 * and for the MLP and DCGAN families an optional WGAN critic as D), and their union {@link GanSpec}. Unknown keys
 * and invalid combinations (a DCGAN resolution other than 28/32/64, a critic on the 3D-GAN) are errors here, before
 * any model is built. The names and types everything else uses derive from these schemas.
 */
import { type } from "arktype"
import { ConditionalDcganOptions } from "./conditional-dcgan.ts"
import { ConditionalGanOptions } from "./conditional-gan.ts"
import { DcganOptions } from "./dcgan.ts"
import { Gan3dOptions } from "./gan-3d.ts"
import { KerasMnistGanOptions } from "./vanilla-gan-keras.ts"
import { VanillaGanOptions } from "./vanilla-gan.ts"

/** Replace D by a WGAN critic: `"wgan"` (no norm) or `"wgan-layer-norm"`; conv critic for DCGAN, MLP otherwise. */
export const WganCriticChoice = type("'wgan' | 'wgan-layer-norm'")
/** See {@link WganCriticChoice}. */
export type WganCriticChoice = typeof WganCriticChoice.infer

/** The spec of each architecture, by the name pipeline configs use. */
export const ganSpecs = {
  /** The seeds' MLP GAN (`vanillaGan`). */
  vanilla: type({ "+": "reject", architecture: "'vanilla'", "options?": VanillaGanOptions, "critic?": WganCriticChoice }),
  /** The Keras-GAN MNIST MLP GAN (`kerasMnistGan`). */
  "keras-mnist": type({ "+": "reject", architecture: "'keras-mnist'", "options?": KerasMnistGanOptions, "critic?": WganCriticChoice }),
  /** DCGAN at 64, 32 or 28 px (`dcgan`). */
  dcgan: type({ "+": "reject", architecture: "'dcgan'", "options?": DcganOptions, "critic?": WganCriticChoice }),
  /** The 3D-GAN on voxel grids (`gan3d`). */
  gan3d: type({ "+": "reject", architecture: "'gan3d'", "options?": Gan3dOptions }),
  /** Conditional MLP GAN, or ACGAN with `auxiliaryClassifier` (`conditionalGan`). */
  conditional: type({ "+": "reject", architecture: "'conditional'", "options?": ConditionalGanOptions }),
  /** Conditional DCGAN (Age-cGAN), or ACGAN with `auxiliaryClassifier` (`conditionalDcgan`). */
  "conditional-dcgan": type({ "+": "reject", architecture: "'conditional-dcgan'", "options?": ConditionalDcganOptions }),
} as const

/** A GAN to build: one of {@link ganSpecs}, told apart by `architecture`. */
export const GanSpec = type.or(ganSpecs.vanilla, ganSpecs["keras-mnist"], ganSpecs.dcgan, ganSpecs.gan3d, ganSpecs.conditional, ganSpecs["conditional-dcgan"])
/** See {@link GanSpec}. */
export type GanSpec = typeof GanSpec.infer

/** One of the architecture names. */
export type GanArchitecture = GanSpec["architecture"]
/** The architectures `buildGan` knows, by name. */
export const ganArchitectures = Object.keys(ganSpecs) as ReadonlyArray<GanArchitecture>
