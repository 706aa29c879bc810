/**
 * Registers every gradient tfjs knows. The Node build of `@tensorflow/tfjs-core` ships none (its ESM
 * `register_all_gradients.js` uses extensionless imports Node cannot resolve); the Node build of
 * `@tensorflow/tfjs-layers` bundles and registers them all on import, into the registry every backend shares.
 * Without this, `tf.grad` fails with "gradient function not found". Adds the one GAN models need that tfjs
 * lacks: the gradient of `conv3dTranspose` (`Conv3DBackpropInputV2`), and the chained tensor methods some
 * gradients call (`Prod`, `GatherV2` with batch dims); and replaces tfjs' slice-per-repetition `Tile` gradient with a
 * reshape + sum (layer norm's backward pass ran thousands of kernels); and fixes the cpu (and so native)
 * `ResizeNearestNeighborGrad`, which read `dy` at the wrong batch stride. `initBackend` calls
 * {@link registerGanflowGradients} again once a backend is chosen: probing `tfjs-node` loads `@tensorflow/tfjs`,
 * which registers tfjs' own gradients over ours.
 */
import "@tensorflow/tfjs-backend-cpu" // its kernels first, so the fix below replaces them and is not replaced
import "@tensorflow/tfjs-layers"
import { registerConv3DTransposeGradient } from "./gradients/conv3d-backprop-input-gradient.ts"
import { addTensorMethodsForGradients } from "./gradients/tensor-methods-for-gradients.ts"
import { registerResizeNearestNeighborGradFix } from "./gradients/resize-nearest-neighbor-grad-kernel.ts"
import { registerTileGradient } from "./gradients/tile-gradient.ts"

/** Registers the gradients and kernel fixes ganflow adds to tfjs' registries (idempotent; the last registration wins). */
export const registerGanflowGradients = (): void => {
  registerConv3DTransposeGradient()
  registerTileGradient()
  registerResizeNearestNeighborGradFix()
  addTensorMethodsForGradients()
}

registerGanflowGradients()
