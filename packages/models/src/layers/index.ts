/**
 * The custom layers of @ganflow/models (import from "@ganflow/models/layers"), each registered with
 * `tf.serialization` on import so that a model.json using them deserialises. This entry needs only TF.js, so a
 * browser bundle (the web demo's page) can take it without the Node-only parts of the package.
 */
export { InstanceNormalization, type InstanceNormalizationArgs } from "./instance-normalization.ts"
export { MinibatchDiscrimination, type MinibatchDiscriminationArgs, MinibatchDiscriminationSize } from "./minibatch-discrimination.ts"
export { MinibatchStandardDeviation, type MinibatchStandardDeviationArgs } from "./minibatch-standard-deviation.ts"
export { SpectralConv2D, type SpectralConv2DArgs, SpectralDense, type SpectralDenseArgs, spectrallyNormalize } from "./spectral-normalization.ts"
export { ConditioningAugmentation, type ConditioningAugmentationArgs } from "../stackgan-conditioning-augmentation.ts"
export { SpatialReplication, type SpatialReplicationArgs } from "../text-conditional-replication.ts"
export { NearestUpsampling2D, type NearestUpsampling2DArgs, nearestUpsampling } from "./nearest-upsampling.ts"
export { PixelShuffle, type PixelShuffleArgs } from "./pixel-shuffle.ts"
export { stopGradient } from "./stop-gradient.ts"
export { SpatialPadding2D, type SpatialPadding2DArgs, ReflectionPadding2D, type ReflectionPadding2DArgs } from "./spatial-padding-2d.ts"
export { ChannelConcatenate, concatChannels } from "./channel-concatenate.ts"
export { TestTimeDropout, type TestTimeDropoutArgs, setDropoutDraw } from "./test-time-dropout.ts"
