/**
 * @ganflow/native: native CPU training kernels for TensorFlow.js, as a backend named "native".
 *
 *   const info = await registerNativeBackend({ threads: 2 });  // { name, isa: "avx512", threads: 2, kernels }
 *   await tf.setBackend("native");
 */
export {
  nativeAvailability,
  nativeBackendInfo,
  registerNativeBackend,
  selectNativeIsa,
  type NativeBackendInfo,
} from "./register.ts";
export { adamUpdateKernelName, type AdamUpdateAttrs } from "./adam-update-op.ts";
export {
  batchNormTraining,
  batchNormTrainingGradKernelName,
  batchNormTrainingKernelName,
  type BatchNormActivation,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingOptions,
  type BatchNormTrainingResult,
} from "./batch-norm-training-op.ts";
export { NativeBackend, nativeBackendName } from "./backend.ts";
export { NativeBackendUnavailable, NativeSettingInvalid } from "./errors.ts";
