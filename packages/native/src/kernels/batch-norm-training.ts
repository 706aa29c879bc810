/** The fused training-mode batch norm and its gradient (contract in ../batch-norm-training-op.ts) on the addon. */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";

import { nativeBackendName } from "../backend.ts";
import {
  batchNormTrainingGradKernelName,
  batchNormTrainingKernelName,
  type BatchNormActivation,
  type BatchNormTrainingAttrs,
} from "../batch-norm-training-op.ts";
import { allFloat32, sizeOf, type KernelArgs } from "./kernel-support.ts";

const activationCodes: Record<BatchNormActivation, number> = { linear: 0, relu: 1, leakyrelu: 2 };

function activationCode(attrs: BatchNormTrainingAttrs, kernel: string): number {
  const code = activationCodes[attrs.activation];
  if (code === undefined) throw new Error(`${kernel}: unknown activation ${JSON.stringify(attrs.activation)}`);
  return code;
}

function checkChannels(kernel: string, channels: number, named: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(named)) {
    if (sizeOf(t.shape) !== channels) throw new Error(`${kernel}: ${name} has shape [${t.shape}], expected ${channels} channels`);
  }
}

/** [y, mean, variance] of batch norm with batch statistics over all axes but the last, then the activation. */
export function nativeBatchNormTraining(
  args: KernelArgs<{ x: TensorInfo; scale: TensorInfo; offset: TensorInfo; bias?: TensorInfo }, BatchNormTrainingAttrs & Record<string, unknown>>,
): TensorInfo[] {
  const { x, scale, offset, bias } = args.inputs;
  const kernel = batchNormTrainingKernelName;
  if (!allFloat32(x, scale, offset, bias)) throw new Error(`${kernel}: every input must be float32`);
  const channels = x.shape.at(-1) ?? 0;
  checkChannels(kernel, channels, bias ? { scale, offset, bias } : { scale, offset });
  const backend = args.backend;
  const y = backend.allocFloat32(sizeOf(x.shape));
  const mean = backend.allocFloat32(channels), variance = backend.allocFloat32(channels);
  backend.addon.batchNormTrainingForward(
    backend.float32Values(x), backend.float32Values(scale), backend.float32Values(offset), y, mean, variance,
    channels, args.attrs.varianceEpsilon, activationCode(args.attrs, kernel), args.attrs.alpha,
    bias ? backend.float32Values(bias) : null,
  );
  return [backend.adopt(x.shape, y), backend.adopt([channels], mean), backend.adopt([channels], variance)];
}

interface GradInputs {
  dy: TensorInfo;
  x: TensorInfo;
  y: TensorInfo;
  scale: TensorInfo;
  bias?: TensorInfo;
  mean: TensorInfo;
  variance: TensorInfo;
  dmean: TensorInfo;
  dvariance: TensorInfo;
}

/** [dx, dscale, doffset, dbias] of the fused batch norm (with its bias and activation), given the output gradient dy. */
export function nativeBatchNormTrainingGrad(args: KernelArgs<GradInputs, BatchNormTrainingAttrs & Record<string, unknown>>): TensorInfo[] {
  const { dy, x, y, scale, bias, mean, variance, dmean, dvariance } = args.inputs;
  const kernel = batchNormTrainingGradKernelName;
  if (!allFloat32(dy, x, y, scale, bias, mean, variance, dmean, dvariance)) throw new Error(`${kernel}: every input must be float32`);
  const channels = x.shape.at(-1) ?? 0;
  checkChannels(kernel, channels, bias ? { scale, bias, mean, variance, dmean, dvariance } : { scale, mean, variance, dmean, dvariance });
  for (const [name, t] of [["dy", dy], ["y", y]] as const) {
    if (sizeOf(t.shape) !== sizeOf(x.shape)) throw new Error(`${kernel}: ${name} has shape [${t.shape}], x has [${x.shape}]`);
  }
  const backend = args.backend;
  const dx = backend.allocFloat32(sizeOf(x.shape));
  const dscale = backend.allocFloat32(channels), doffset = backend.allocFloat32(channels), dbias = backend.allocFloat32(channels);
  backend.addon.batchNormTrainingBackward(
    backend.float32Values(dy), backend.float32Values(x), backend.float32Values(y), backend.float32Values(scale),
    backend.float32Values(mean), backend.float32Values(variance), backend.float32Values(dmean), backend.float32Values(dvariance),
    dx, dscale, doffset, channels, args.attrs.varianceEpsilon, activationCode(args.attrs, kernel), args.attrs.alpha,
    bias ? backend.float32Values(bias) : null, dbias,
  );
  return [backend.adopt(x.shape, dx), backend.adopt([channels], dscale), backend.adopt([channels], doffset), backend.adopt([channels], dbias)];
}

export const nativeBatchNormTrainingConfigs: KernelConfig[] = [
  { kernelName: batchNormTrainingKernelName, backendName: nativeBackendName, kernelFunc: nativeBatchNormTraining as unknown as KernelConfig["kernelFunc"] },
  { kernelName: batchNormTrainingGradKernelName, backendName: nativeBackendName, kernelFunc: nativeBatchNormTrainingGrad as unknown as KernelConfig["kernelFunc"] },
];
