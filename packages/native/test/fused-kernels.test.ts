import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";

import { adamUpdateKernelName, registerNativeBackend, type AdamUpdateAttrs } from "../src/index.ts";
import { nativeMaxPoolGrad } from "../src/kernels/max-pool-grad.ts";
import { nativeTranspose } from "../src/kernels/transpose.ts";
import { nativeVsCpu, randomFloats } from "./compare-backends.ts";

beforeAll(async () => {
  await registerNativeBackend({ threads: 2 });
  await tf.setBackend("native");
});

/** Adam step 3 constants (PyTorch's rule, lr 2e-4, betas 0.5 / 0.999), as @ganflow/trainers' AdamOptimizer computes them. */
const t = 3, lr = 2e-4, beta1 = 0.5, beta2 = 0.999, epsilon = 1e-8;
const attrs: AdamUpdateAttrs = { beta1, beta2, stepSize: lr / (1 - beta1 ** t), sqrtCorrection2: Math.sqrt(1 - beta2 ** t), epsilon };

/** The update composed of single tfjs ops, in the order the fused kernel promises. */
function composedAdam(x: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor): tf.Tensor[] {
  const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  const denominator = tf.add(tf.div(tf.sqrt(v1), attrs.sqrtCorrection2), epsilon);
  return [tf.sub(x, tf.mul(attrs.stepSize, tf.div(m1, denominator))), m1, v1];
}

const fusedAdam = (x: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor): tf.Tensor[] =>
  tf.engine().runKernel(adamUpdateKernelName, { x, gradient: g, firstMoment: m, secondMoment: v }, { ...attrs }) as tf.Tensor[];

describe("fused Adam update", () => {
  // 100,003 elements: several parallel chunks and an odd tail; 7: the single-threaded path.
  it.each([[[100003]], [[7]], [[300, 257]]])("is bit-identical to the composed ops on the cpu backend (%j)", (shape) => {
    tf.setBackend("cpu");
    const cpu = runAdam(shape, composedAdam);
    tf.setBackend("native");
    const fused = runAdam(shape, fusedAdam);
    const composedNative = runAdam(shape, composedAdam);
    for (let i = 0; i < 3; i++) {
      expect(differingElements(fused[i]!, cpu[i]!)).toBe(0);
      expect(differingElements(composedNative[i]!, cpu[i]!)).toBe(0);
    }
  }, 30_000); // the cpu backend's composed ops take seconds on a loaded machine

  it("gives the same bits with 1 and 2 threads and leaks no tensors", async () => {
    tf.setBackend("native");
    const before = tf.memory().numTensors;
    await registerNativeBackend({ threads: 1 });
    const one = runAdam([100003], fusedAdam);
    await registerNativeBackend({ threads: 2 });
    const two = runAdam([100003], fusedAdam);
    for (let i = 0; i < 3; i++) expect(differingElements(two[i]!, one[i]!)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects mismatched shapes, naming the input", () => {
    tf.setBackend("native");
    expect(() =>
      tf.tidy(() => tf.engine().runKernel(adamUpdateKernelName, { x: tf.zeros([4]), gradient: tf.zeros([5]), firstMoment: tf.zeros([4]), secondMoment: tf.zeros([4]) }, { ...attrs })),
    ).toThrow(/gradient has shape \[5\]/);
  });
});

/** How many elements differ in their bits (lengths must match). */
function differingElements(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

/** Runs an Adam update on seeded inputs (v made non-negative) on the current backend; returns [x', m', v'] values. */
function runAdam(shape: number[], update: typeof composedAdam): Float32Array[] {
  return tf.tidy(() => {
    const n = shape.reduce((a, b) => a * b, 1);
    const [x, g, m, v] = [0, 1, 2, 3].map((i) => tf.tensor(randomFloats(n, 11 + i), shape));
    return update(x!, g!, tf.mul(m!, 0.1), tf.mul(tf.abs(v!), 0.01)).map((r) => Float32Array.from(r.dataSync() as Float32Array));
  });
}

describe("GatherV2 matches the cpu backend", () => {
  const cases: Array<[string, number[], number[], number]> = [
    ["a batch of images (axis 0, long slices)", [50, 28, 28, 1], [64], 0],
    ["rows of a matrix (axis 0, short slices)", [30, 3], [5], 0],
    ["columns (axis 1)", [4, 30, 20], [7], 1],
    ["the last axis (single elements)", [6, 9], [2, 4], 1],
  ];
  it.each(cases)("%s", (_, xShape, indexShape, axis) => {
    const n = indexShape.reduce((a, b) => a * b, 1);
    const index = tf.tensor(Array.from({ length: n }, (_, i) => (i * 7 + 3) % xShape[axis]!), indexShape, "int32");
    expect(nativeVsCpu([xShape], (x) => tf.gather(x!, index, axis))).toBe(0);
    index.dispose();
  });
  it("rejects an index out of range like the cpu kernel", () => {
    expect(() => tf.tidy(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], "int32")))).toThrow(/index value 3 is not in \[0, 2\]/);
  });
});

describe("Transpose matches the cpu backend bit for bit", () => {
  const cases: Array<[string, number[], number[]]> = [
    ["a [64, 4096] matrix (a dense layer's gradient; tiled path)", [64, 4096], [1, 0]],
    ["a matrix whose sides are not tile multiples", [37, 45], [1, 0]],
    ["a matrix kept in order", [5, 7], [0, 1]],
    ["NHWC -> NCHW", [3, 5, 6, 4], [0, 3, 1, 2]],
    ["a rank-5 volume reversed", [2, 3, 4, 5, 2], [4, 3, 2, 1, 0]],
    ["a vector", [17], [0]],
    ["an empty axis", [0, 4], [1, 0]],
  ];
  it("is the native backend's Transpose (not the cpu one it replaces)", () => {
    expect(tf.getKernel("Transpose", "native")?.kernelFunc).toBe(nativeTranspose);
  });
  it.each(cases)("%s", (_, shape, perm) => {
    expect(nativeVsCpu([shape], (x) => tf.transpose(x!, perm))).toBe(0);
  });
  it("int32 tensors run the cpu kernel", () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
    expect(Array.from(tf.transpose(x).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
    x.dispose();
  });
});

describe("MaxPoolGrad matches the cpu backend bit for bit", () => {
  const cases: Array<[string, number[], [number, number], [number, number], "valid" | "same"]> = [
    ["LeNet's first pooling (2x2, stride 2)", [8, 28, 28, 6], [2, 2], [2, 2], "valid"],
    ["overlapping windows (3x3, stride 2, same padding)", [2, 9, 11, 5], [3, 3], [2, 2], "same"],
    ["stride 1 (every pixel in up to 4 windows)", [2, 6, 7, 3], [2, 2], [1, 1], "valid"],
  ];
  /** The kernel itself: dy (seeded values shaped like the pooled output) routed back through x's maxima. */
  const poolGradient = (x: tf.Tensor, size: [number, number], strides: [number, number], pad: "valid" | "same") => {
    const output = tf.maxPool(x as tf.Tensor4D, size, strides, pad);
    const dy = tf.tensor(randomFloats(output.size, 7), output.shape);
    return tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output }, { filterSize: size, strides, pad }) as tf.Tensor;
  };
  it("is the native backend's MaxPoolGrad", () => {
    expect(tf.getKernel("MaxPoolGrad", "native")?.kernelFunc).toBe(nativeMaxPoolGrad);
  });
  it.each(cases)("%s", (_, shape, size, strides, pad) => {
    expect(nativeVsCpu([shape], (x) => poolGradient(x!, size, strides, pad))).toBe(0);
  });
  it("ties go to the first maximum of the window, as on the cpu backend", () => {
    const x = tf.tensor4d([3, 3, 1, 1, 3, 0, 2, 2], [1, 2, 4, 1]); // windows [3 3; 3 0] and [1 1; 2 2]
    const output = tf.maxPool(x, 2, 2, "valid");
    const dy = tf.onesLike(output);
    const gradient = tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output }, { filterSize: 2, strides: 2, pad: "valid" }) as tf.Tensor;
    expect(Array.from(gradient.dataSync())).toEqual([1, 0, 0, 0, 0, 0, 1, 0]);
    tf.dispose([x, output, dy, gradient]);
  });
});
