/**
 * Registers the "native" backend with TensorFlow.js: every cpu kernel again under the name "native", then
 * the native kernels over the hot ones.
 */
import "@tensorflow/tfjs-backend-cpu";
import { availableParallelism } from "node:os";
import {
  engine,
  getKernel,
  getKernelsForBackend,
  registerBackend,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
} from "@tensorflow/tfjs-core";

import { loadAddon, type NativeAddon } from "./addon.ts";
import { NativeBackend, nativeBackendName } from "./backend.ts";
import {
  batchNormTrainingGradKernelName,
  batchNormTrainingKernelName,
  registerBatchNormTrainingGradient,
} from "./batch-norm-training-op.ts";
import { NativeBackendUnavailable, NativeSettingInvalid } from "./errors.ts";
import { nativeKernelConfigs } from "./kernels/index.ts";

/** What the native backend runs with; goes into run records. */
export interface NativeBackendInfo {
  /** Backend name as registered with TensorFlow.js. */
  readonly name: "native";
  /** Instruction set of the GEMM micro-kernels in use: "avx512" | "avx2" | "sse" | "scalar". */
  readonly isa: string;
  /** Threads in the kernel thread pool (the calling thread included). */
  readonly threads: number;
  /** Kernels implemented natively; every other kernel is the cpu backend's. */
  readonly kernels: string[];
}

/** Whether the addon loads on this machine (it is compiled at `npm ci` time; without a compiler it is absent). */
export function nativeAvailability(): { ok: true } | { ok: false; reason: string } {
  const load = loadAddon();
  return load.ok ? { ok: true } : { ok: false, reason: load.reason };
}

function requireAddon(): NativeAddon {
  const load = loadAddon();
  if (!load.ok) throw new NativeBackendUnavailable({ reason: load.reason });
  return load.addon;
}

/**
 * The native kernels to register: all of them, except the fused training batch norm when
 * `GANFLOW_NATIVE_FUSED_BN=0` (read at the first registration; A/B benchmarks of the layers' composed batch norm).
 */
function activeKernelConfigs(): KernelConfig[] {
  if (process.env["GANFLOW_NATIVE_FUSED_BN"] !== "0") return nativeKernelConfigs;
  const fused = new Set([batchNormTrainingKernelName, batchNormTrainingGradKernelName]);
  return nativeKernelConfigs.filter((c) => !fused.has(c.kernelName));
}

function registerKernelsOnce(): void {
  for (const cpu of getKernelsForBackend("cpu")) {
    if (!getKernel(cpu.kernelName, nativeBackendName)) registerKernel({ ...cpu, backendName: nativeBackendName });
  }
  for (const config of activeKernelConfigs()) {
    const existing = getKernel(config.kernelName, nativeBackendName);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing) unregisterKernel(config.kernelName, nativeBackendName);
    registerKernel(config);
  }
  registerBatchNormTrainingGradient();
}

/** The native backend's current settings (ISA, threads, native kernels). Throws NativeBackendUnavailable. */
export function nativeBackendInfo(): NativeBackendInfo {
  const info = requireAddon().info();
  return {
    name: nativeBackendName,
    isa: info.isa,
    threads: info.threads,
    kernels: activeKernelConfigs().map((c: KernelConfig) => c.kernelName),
  };
}

/**
 * Registers (once) the TensorFlow.js backend "native" and sizes its thread pool (default: the number of
 * logical cores). Does not make it the active backend: call `tf.setBackend("native")`.
 * Rejects with NativeBackendUnavailable when the addon is not built, NativeSettingInvalid for a bad `threads`.
 */
export async function registerNativeBackend(opts: { threads?: number } = {}): Promise<NativeBackendInfo> {
  const addon = requireAddon();
  const threads = opts.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new NativeSettingInvalid({ field: "threads", reason: `${threads} is not an integer in [1, 256]` });
  }
  addon.setThreads(threads);
  registerKernelsOnce();
  if (!engine().registryFactory[nativeBackendName]) {
    registerBackend(nativeBackendName, () => new NativeBackend(addon), 0);
  }
  return nativeBackendInfo();
}

/**
 * Chooses the GEMM micro-kernel instruction set ("avx512" | "avx2" | "sse" | "scalar"), for tests and
 * benchmarks; the default is the widest the CPU supports. Returns false when this CPU lacks it.
 */
export function selectNativeIsa(isa: string): boolean {
  return requireAddon().setIsa(isa);
}
