import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";

import { registerNativeBackend } from "../src/index.ts";
import { nativeVsCpu, randomFloats } from "./compare-backends.ts";

const tolerance = 1e-5;

beforeAll(async () => {
  await registerNativeBackend({ threads: 2 });
  await tf.setBackend("native");
});

describe("unary kernels match the cpu backend", () => {
  const positive = (f: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => f(tf.add(tf.abs(x), 0.1));
  const ops: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    relu: tf.relu, relu6: (x) => tf.relu6(tf.mul(x, 8)), leakyRelu: (x) => tf.leakyRelu(x, 0.2), elu: tf.elu,
    tanh: tf.tanh, sigmoid: tf.sigmoid, sqrt: positive(tf.sqrt), rsqrt: positive(tf.rsqrt), square: tf.square,
    neg: tf.neg, exp: tf.exp, log: positive(tf.log), log1p: positive(tf.log1p), abs: tf.abs, step: (x) => tf.step(x, 0.3),
    reciprocal: positive(tf.reciprocal),
  };
  it.each(Object.keys(ops))("%s", (name) => {
    // 70,001 elements: more than one parallel chunk, and an odd tail.
    expect(nativeVsCpu([[70001]], (x) => ops[name]!(x!))).toBeLessThanOrEqual(tolerance);
    expect(nativeVsCpu([[3, 5]], (x) => ops[name]!(x!))).toBeLessThanOrEqual(tolerance);
  });
});

describe("broadcasting binary kernels match the cpu backend", () => {
  const shapes: Array<[number[], number[]]> = [
    [[2, 3, 4, 5], [2, 3, 4, 5]],
    [[2, 3, 4, 5], [5]],
    [[5], [2, 3, 4, 5]],
    [[2, 3, 4, 5], [2, 1, 4, 1]],
    [[3, 1], [1, 4]],
    [[64, 8, 8, 16], [1, 1, 1, 16]],
    [[7], []],
    [[], [2, 3]],
    [[70001], []], // a long row split into column blocks across threads
    [[], [2, 70001]],
  ];
  const ops: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
    add: tf.add, sub: tf.sub, mul: tf.mul, div: (a, b) => tf.div(a, tf.add(tf.abs(b), 0.5)), maximum: tf.maximum,
    minimum: tf.minimum, squaredDifference: tf.squaredDifference, pow: (a, b) => tf.pow(tf.add(tf.abs(a), 0.1), b),
  };
  it.each(Object.keys(ops))("%s over broadcast shapes", (name) => {
    for (const [a, b] of shapes) {
      expect(nativeVsCpu([a, b], (x, y) => ops[name]!(x!, y!)), `${a} ${b}`).toBeLessThanOrEqual(tolerance);
    }
  });
  it("comparisons and select are exact", () => {
    for (const cmp of [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal, tf.notEqual]) {
      const err = nativeVsCpu([[6, 7], [7]], (a, b) => tf.cast(cmp(a!, tf.round(b!)), "float32"));
      expect(err).toBe(0);
    }
    expect(nativeVsCpu([[40000], [40000]], (a, b) => tf.where(tf.greater(a!, 0), a!, b!))).toBe(0);
  });

  it("a float32 cast of a bool tensor feeds the float kernels (Select's gradient multiplies by one)", () => {
    expect(nativeVsCpu([[6, 7], [6, 7]], (a, b) => tf.mul(tf.cast(tf.greater(a!, 0), "float32"), b!))).toBe(0);
    const whereGrad = (a: tf.Tensor) => {
      const positive = tf.greater(a, 0);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.where(positive, tf.square(x), tf.neg(x))))(a);
    };
    expect(nativeVsCpu([[5, 9]], (a) => whereGrad(a!))).toBeLessThan(1e-6);
  });
});

describe("reductions, tile and batch norm match the cpu backend", () => {
  it.each([
    [[4, 5, 6, 7], [0, 1, 2]],
    [[4, 5, 6, 7], [3]],
    [[4, 5, 6, 7], [1, 2]],
    [[4, 5, 6, 7], [0, 2]],
    [[4, 5, 6, 7], [0, 1, 2, 3]],
    [[16, 16, 16, 32], [0, 1, 2]], // per-thread partial sums path
    [[9], [0]],
  ])("sum / mean / max / min of %j over %j", (shape, axes) => {
    for (const keepDims of [false, true]) {
      for (const f of [tf.sum, tf.mean, tf.max, tf.min]) {
        expect(nativeVsCpu([shape], (x) => f(x!, axes, keepDims))).toBeLessThanOrEqual(tolerance);
      }
    }
  });
  it("tile", () => {
    expect(nativeVsCpu([[1, 1, 1, 5]], (x) => tf.tile(x!, [2, 3, 4, 1]))).toBe(0);
    expect(nativeVsCpu([[2, 3]], (x) => tf.tile(x!, [3, 2]))).toBe(0);
  });
  it("batch norm in training mode, forward and gradients (x, gamma, beta)", () => {
    const bn = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
    };
    const shapes = [[8, 6, 6, 16], [16], [16], [8, 6, 6, 16]];
    expect(nativeVsCpu(shapes.slice(0, 3), (x, g, b) => bn(x!, g!, b!))).toBeLessThanOrEqual(tolerance);
    const grads = nativeVsCpu(shapes, (x, g, b, r) => tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(bn(a, c, d), r!)))([x!, g!, b!]));
    expect(grads).toBeLessThanOrEqual(tolerance);
  });
  it("does not leak tensors", () => {
    const x = tf.tensor4d(randomFloats(4 * 4 * 4 * 8, 3), [4, 4, 4, 8]);
    const gamma = tf.ones([8]), beta = tf.zeros([8]);
    const bn = (a: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.leakyRelu(tf.batchNorm(a, mean, variance, beta, gamma, 1e-5), 0.2);
    };
    const run = () => tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(bn(a)))(x).dataSync());
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
});

describe("recycled tensor arrays", () => {
  it("never change an array handed out by dataSync or a view kept by a slice", () => {
    const n = 50_000;
    const x = tf.tensor1d(randomFloats(n, 11));
    const first = tf.relu(x);
    const read = first.dataSync() as Float32Array;
    const expected = Float32Array.from(read);
    const half = tf.slice(first, [0], [n / 2]); // the cpu Slice kernel returns a view of first's array
    first.dispose();
    const others = [tf.neg(x), tf.neg(x), tf.exp(x)]; // same length: would reuse first's array if it were freed
    expect(read).toEqual(expected);
    expect(Float32Array.from(half.dataSync())).toEqual(expected.subarray(0, n / 2));
    tf.dispose([x, half, ...others]);
  });
});
