/** The fused Adam update (see ../adam-update-op.ts) as one native pass per variable. */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";

import { adamUpdateKernelName, type AdamUpdateAttrs } from "../adam-update-op.ts";
import { nativeBackendName } from "../backend.ts";
import { allFloat32, sizeOf, type KernelArgs } from "./kernel-support.ts";

interface AdamUpdateInputs {
  x: TensorInfo;
  gradient: TensorInfo;
  firstMoment: TensorInfo;
  secondMoment: TensorInfo;
}

/** Returns [x', m', v'] as new tensors (the inputs are left untouched). */
export function nativeAdamUpdate(args: KernelArgs<AdamUpdateInputs, AdamUpdateAttrs & Record<string, unknown>>): TensorInfo[] {
  const { x, gradient, firstMoment, secondMoment } = args.inputs;
  const n = sizeOf(x.shape);
  if (!allFloat32(x, gradient, firstMoment, secondMoment)) throw new Error(`${adamUpdateKernelName}: every input must be float32`);
  for (const [name, t] of [["gradient", gradient], ["firstMoment", firstMoment], ["secondMoment", secondMoment]] as const) {
    if (sizeOf(t.shape) !== n) throw new Error(`${adamUpdateKernelName}: ${name} has shape [${t.shape}], x has [${x.shape}]`);
  }
  const { beta1, beta2, stepSize, sqrtCorrection2, epsilon } = args.attrs;
  const backend = args.backend;
  const xOut = backend.allocFloat32(n), mOut = backend.allocFloat32(n), vOut = backend.allocFloat32(n);
  backend.addon.adamUpdate(
    backend.float32Values(x), backend.float32Values(gradient), backend.float32Values(firstMoment), backend.float32Values(secondMoment),
    xOut, mOut, vOut, n, Float64Array.of(beta1, 1 - beta1, beta2, 1 - beta2, stepSize, sqrtCorrection2, epsilon),
  );
  return [backend.adopt(x.shape, xOut), backend.adopt(x.shape, mOut), backend.adopt(x.shape, vOut)];
}

export const nativeAdamUpdateConfig: KernelConfig = {
  kernelName: adamUpdateKernelName,
  backendName: nativeBackendName,
  kernelFunc: nativeAdamUpdate as unknown as KernelConfig["kernelFunc"],
};
