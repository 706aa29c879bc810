/**
 * Imports every custom layer of `@ganflow/models` for its side effect: each module registers its class with
 * `tf.serialization`, so any exported generator's model.json deserialises in the page.
 */
import "@ganflow/models/layers/instance-normalization"
import "@ganflow/models/layers/minibatch-discrimination"
import "@ganflow/models/layers/minibatch-standard-deviation"
import "@ganflow/models/layers/spectral-normalization"

/** The class names registered above (as they appear in model.json). */
export const registeredLayerClasses = ["InstanceNormalization", "MinibatchDiscrimination", "MinibatchStandardDeviation", "SpectralDense", "SpectralConv2D"] as const
