import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";

import { nativeAvailability, nativeBackendInfo, registerNativeBackend, selectNativeIsa } from "../src/index.ts";
import { nativeVsCpu, randomFloats, runOn } from "./compare-backends.ts";

const tolerance = 1e-5;
let bestIsa = "";
const isas: string[] = [];

beforeAll(async () => {
  const availability = nativeAvailability();
  // A missing addon is a failure here, not a skip: CI has a compiler.
  expect(availability).toEqual({ ok: true });
  const info = await registerNativeBackend({ threads: 2 });
  bestIsa = info.isa;
  for (const isa of ["avx512", "avx2", "sse", "scalar"]) if (selectNativeIsa(isa)) isas.push(isa);
  selectNativeIsa(bestIsa);
  await tf.setBackend("native");
});

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
interface Conv2dCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
}

const conv2dCases: Conv2dCase[] = [
  { x: [2, 9, 11, 3], f: [3, 2, 3, 5], strides: [2, 1], pad: "same" },
  { x: [2, 9, 11, 3], f: [3, 2, 3, 5], strides: [2, 1], pad: 2 },
  { x: [3, 7, 6, 5], f: [2, 3, 5, 6], strides: [1, 2], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 16, 16, 3], f: [4, 4, 3, 8], strides: 2, pad: 1 },
  { x: [4, 8, 8, 16], f: [4, 4, 16, 32], strides: 2, pad: "same" },
  { x: [2, 5, 5, 7], f: [1, 1, 7, 3], strides: 1, pad: "valid" },
  { x: [1, 13, 4, 2], f: [5, 3, 2, 1], strides: 3, pad: "valid" },
  { x: [64, 4, 4, 16], f: [4, 4, 16, 1], strides: 1, pad: "valid" },
  // K = 300 and 1,200: K blocks of 256 cut a 3-channel tap, and 300 channels make a tap wider than a block
  { x: [2, 12, 12, 3], f: [10, 10, 3, 4], strides: 1, pad: "valid" },
  { x: [1, 5, 5, 300], f: [2, 2, 300, 5], strides: 1, pad: "valid" },
];

const dilatedCases: Conv2dCase[] = [
  { x: [2, 9, 11, 3], f: [3, 3, 3, 4], strides: 1, pad: "valid", dilations: [2, 2] },
  { x: [2, 10, 9, 4], f: [2, 3, 4, 5], strides: 1, pad: "same", dilations: [3, 2] },
];

const describeCase = (c: Conv2dCase) =>
  `x ${c.x} f ${c.f} s ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)} d ${JSON.stringify(c.dilations ?? 1)}`;

describe("native backend info", () => {
  it("names its instruction set, threads and kernels", () => {
    const info = nativeBackendInfo();
    expect(["avx512", "avx2", "sse", "scalar"]).toContain(info.isa);
    expect(info.threads).toBe(2);
    expect(info.kernels).toEqual(expect.arrayContaining(["BatchMatMul", "Conv2D", "Conv2DBackpropFilter", "Conv3D"]));
    expect(tf.getBackend()).toBe("native");
  });
});

describe("matMul matches the cpu backend", () => {
  const shapes: Array<[number[], number[], boolean, boolean]> = [
    [[130, 257], [257, 70], false, false],
    [[257, 130], [257, 70], true, false],
    [[130, 257], [70, 257], false, true],
    [[257, 130], [70, 257], true, true],
    [[3, 17, 33], [3, 33, 9], false, false],
    [[1, 5, 7], [4, 7, 3], false, false],
    [[2, 3, 1, 40], [2, 3, 40, 1], false, false],
    [[1, 1], [1, 1], false, false],
    [[64, 300], [300, 500], false, false], // C split into column slabs across threads
    [[64, 300], [500, 300], false, true],
    [[64, 301], [301, 1], false, false], // one output column: the matrix-vector path
    [[300, 64], [300, 1], true, false],
    [[64, 301], [1, 301], false, true],
  ];
  it.each(shapes)("a %j b %j transposeA %s transposeB %s, every ISA", (a, b, ta, tb) => {
    for (const isa of isas) {
      selectNativeIsa(isa);
      expect(nativeVsCpu([a, b], (x, y) => tf.matMul(x!, y!, ta, tb)), isa).toBeLessThanOrEqual(tolerance);
    }
    selectNativeIsa(bestIsa);
  });
  it("fused matMul with bias and activations", () => {
    for (const activation of ["relu", "leakyrelu", "sigmoid", "linear", "elu", "relu6"] as const) {
      const err = nativeVsCpu([[33, 20], [20, 15], [15]], (a, b, bias) =>
        tf.fused.matMul({ a: a!, b: b!, bias: bias!, activation, leakyreluAlpha: 0.1 }),
      );
      expect(err, activation).toBeLessThanOrEqual(tolerance);
    }
  });
  it("int32 matMul falls back to the cpu kernel", () => {
    const out = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]], [1, 2], "int32"), tf.tensor2d([[3], [4]], [2, 1], "int32")));
    expect(out.dtype).toBe("int32");
    expect(Array.from(out.dataSync())).toEqual([11]);
    out.dispose();
  });
});

describe("conv2d and its gradients match the cpu backend", () => {
  it.each(conv2dCases.map((c) => [describeCase(c), c] as const))("%s", (_, c) => {
    const outShape = runOn("cpu", [c.x, c.f], 3, (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad))[0]!;
    expect(outShape.length).toBeGreaterThan(0);
    const forward = nativeVsCpu([c.x, c.f], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad), 3);
    expect(forward).toBeLessThanOrEqual(tolerance);
    // Gradients of sum(conv(x, f) * r) wrt x and f go through Conv2DBackpropInput and Conv2DBackpropFilter.
    const yShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad).shape);
    const grads = nativeVsCpu([c.x, c.f, yShape], (x, f, r) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r!)))([x!, f!]),
    5);
    expect(grads).toBeLessThanOrEqual(tolerance);
  });
  it.each(dilatedCases.map((c) => [describeCase(c), c] as const))("dilated forward %s", (_, c) => {
    const err = nativeVsCpu([c.x, c.f], (x, f) =>
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad as "same", "NHWC", c.dilations),
    );
    expect(err).toBeLessThanOrEqual(tolerance);
  });
  it("conv2dTranspose (DCGAN generator layers) and its gradients", () => {
    const cases: Array<[number[], number[], number[], number, "same" | "valid"]> = [
      [[4, 1, 1, 10], [4, 4, 16, 10], [4, 4, 4, 16], 1, "valid"],
      [[4, 4, 4, 16], [4, 4, 8, 16], [4, 8, 8, 8], 2, "same"],
      [[2, 5, 7, 6], [3, 3, 4, 6], [2, 10, 14, 4], 2, "same"],
      [[2, 5, 7, 6], [3, 2, 4, 6], [2, 11, 14, 4], 2, "valid"],
    ];
    for (const [xs, fs, os, s, pad] of cases) {
      const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, os as [number, number, number, number], s, pad);
      expect(nativeVsCpu([xs, fs], f), `${xs} ${fs}`).toBeLessThanOrEqual(tolerance);
      const g = nativeVsCpu([xs, fs, os], (x, w, r) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r!)))([x!, w!]));
      expect(g, `grad ${xs} ${fs}`).toBeLessThanOrEqual(tolerance);
    }
  });
  it("fused conv2d with bias and leaky relu, and NCHW falling back to cpu", () => {
    const fused = nativeVsCpu([[2, 8, 8, 3], [3, 3, 3, 4], [4]], (x, f, b) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: "same", bias: b!, activation: "leakyrelu", leakyreluAlpha: 0.2 }),
    );
    expect(fused).toBeLessThanOrEqual(tolerance);
    const nchw = nativeVsCpu([[2, 3, 8, 8], [3, 3, 3, 4]], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same", "NCHW"));
    expect(nchw).toBeLessThanOrEqual(tolerance);
  });
});

describe("conv3d and its gradients match the cpu backend", () => {
  const cases: Array<[number[], number[], number | [number, number, number], "same" | "valid"]> = [
    [[2, 8, 8, 8, 4], [4, 4, 4, 4, 6], 2, "same"], // 3D-GAN discriminator layer
    // the 3D-GAN generator layer's backward pass: conv3dTranspose's gradients are this conv3d (d input) and its
    // filter gradient Conv3DBackpropFilterV2 (d filter), the gradient @ganflow/backend registers for tfjs
    [[2, 8, 8, 8, 4], [4, 4, 4, 4, 8], 2, "same"],
    [[1, 5, 6, 7, 3], [3, 2, 3, 3, 2], [1, 2, 1], "valid"],
    [[2, 6, 5, 4, 2], [2, 3, 2, 2, 3], [2, 1, 2], "same"],
    [[2, 4, 4, 4, 8], [1, 1, 1, 8, 4], 1, "valid"],
    // one input channel and 1,024 output rows: the filter gradient's per-thread row ranges and partial sums
    [[2, 16, 16, 16, 1], [4, 4, 4, 1, 8], 2, "same"],
    // K = 1,080 (40 channels): several K blocks, taps cut by their edges
    [[2, 6, 6, 6, 40], [3, 3, 3, 40, 8], 1, "valid"],
  ];
  it.each(cases)("x %j f %j strides %j pad %s (forward and gradients)", (xs, fs, s, pad) => {
    const conv = (x: tf.Tensor, f: tf.Tensor) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, s, pad);
    expect(nativeVsCpu([xs, fs], conv)).toBeLessThanOrEqual(tolerance);
    const yShape = tf.tidy(() => conv(tf.zeros(xs), tf.zeros(fs)).shape);
    const g = nativeVsCpu([xs, fs, yShape], (x, f, r) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r!)))([x!, f!]));
    expect(g).toBeLessThanOrEqual(tolerance);
  });
  it("dilated conv3d forward", () => {
    const err = nativeVsCpu([[1, 7, 7, 7, 2], [2, 2, 2, 2, 3]], (x, f) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, 1, "valid", "NDHWC", [2, 1, 2]));
    expect(err).toBeLessThanOrEqual(tolerance);
  });
  it("conv3dTranspose (3D-GAN generator layer, 4x4x4 kernel, stride 2, same; its gradients are the conv3d case above)", () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv3dTranspose(x as tf.Tensor5D, w as tf.Tensor5D, [2, 8, 8, 8, 4], 2, "same");
    expect(nativeVsCpu([[2, 4, 4, 4, 8], [4, 4, 4, 4, 8]], f)).toBeLessThanOrEqual(tolerance);
  });
});

describe("determinism and memory", () => {
  it("repeated runs with a fixed thread count give identical bits", () => {
    const run = () =>
      runOn("native", [[16, 16, 16, 32], [4, 4, 32, 64], [16, 8, 8, 64]], 9, (x, f, r) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same"), r!)))([x!, f!]),
      );
    const first = run();
    for (let i = 0; i < 3; i++) {
      const again = run();
      again.forEach((v, j) => expect(Buffer.from(v.buffer).equals(Buffer.from(first[j]!.buffer))).toBe(true));
    }
  });
  it("matMul gives the same bits with 1 and 2 threads (row slabs, column slabs, the blocked path)", async () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[64, 300], [300, 500], false, false],
      [[64, 300], [500, 300], false, true],
      [[300, 130], [300, 70], true, false],
      [[520, 512], [512, 520], false, false], // above the slab size: the blocked path
    ];
    const run = () => cases.map(([a, b, ta, tb]) => runOn("native", [a, b], 3, (x, y) => [tf.matMul(x!, y!, ta, tb)])[0]!);
    await registerNativeBackend({ threads: 1 });
    const one = run();
    await registerNativeBackend({ threads: 2 });
    const two = run();
    await tf.setBackend("native");
    two.forEach((v, i) => expect(Buffer.from(v.buffer).equals(Buffer.from(one[i]!.buffer)), JSON.stringify(cases[i])).toBe(true));
  });
  it("conv3d, its input gradient and its tap-sliced filter gradient give the same bits with 1 and 2 threads", async () => {
    // 3D-GAN-like layers (x, filter, dy): 64 -> 128 channels at 8^3 -> 4^3, and 128 -> 16 at 4^3 -> 2^3 (per image 8 rows)
    const cases: Array<[number[], number[], number[]]> = [
      [[9, 8, 8, 8, 64], [4, 4, 4, 64, 128], [9, 4, 4, 4, 128]],
      [[5, 4, 4, 4, 128], [4, 4, 4, 128, 16], [5, 2, 2, 2, 16]],
    ];
    const conv = (x: tf.Tensor, f: tf.Tensor) => tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, 2, "same");
    const run = () => cases.flatMap(([xs, fs, ys]) => runOn("native", [xs, fs, ys], 4, (x, f, r) =>
      [conv(x!, f!), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), r!)))([x!, f!])]));
    await registerNativeBackend({ threads: 1 });
    const one = run();
    await registerNativeBackend({ threads: 2 });
    const two = run();
    await tf.setBackend("native");
    two.forEach((v, i) => expect(Buffer.from(v.buffer).equals(Buffer.from(one[i]!.buffer)), `output ${i}`).toBe(true));
  }, 30_000);
  it("does not leak tensors across repeated gradient steps", () => {
    tf.setBackend("native");
    const x = tf.tensor4d(randomFloats(2 * 8 * 8 * 3, 1), [2, 8, 8, 3]);
    const w = tf.variable(tf.tensor4d(randomFloats(4 * 4 * 3 * 8, 2), [4, 4, 3, 8]));
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.conv2d(x, w, 2, "same"))));
        w.assign(tf.sub(w, tf.mul(grads[w.name]!, 0.01)));
        return value.dataSync()[0];
      });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    w.dispose();
  });
});
