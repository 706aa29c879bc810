/** Every kernel the native backend implements itself (the rest are the cpu backend's). */
import "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig } from "@tensorflow/tfjs-core";

import { nativeAdamUpdateConfig } from "./adam-update.ts";
import { nativeBatchMatMulConfig } from "./batch-mat-mul.ts";
import { nativeBatchNormConfig } from "./batch-norm.ts";
import { nativeBatchNormTrainingConfigs } from "./batch-norm-training.ts";
import { nativeConv2DConfigs } from "./conv2d.ts";
import { nativeConv3DConfigs } from "./conv3d.ts";
import { nativeElementwiseConfigs } from "./elementwise.ts";
import { nativeFusedMatMulConfig } from "./fused-mat-mul.ts";
import { nativeGatherV2Config } from "./gather.ts";
import { nativeMaxPoolGradConfig } from "./max-pool-grad.ts";
import { nativeReduceConfigs } from "./reduce.ts";
import { nativeTransposeConfig } from "./transpose.ts";

export const nativeKernelConfigs: KernelConfig[] = [
  nativeBatchMatMulConfig,
  nativeFusedMatMulConfig,
  ...nativeConv2DConfigs,
  ...nativeConv3DConfigs,
  nativeBatchNormConfig,
  ...nativeBatchNormTrainingConfigs,
  ...nativeElementwiseConfigs(),
  ...nativeReduceConfigs(),
  nativeAdamUpdateConfig,
  nativeGatherV2Config,
  nativeTransposeConfig,
  nativeMaxPoolGradConfig,
];
