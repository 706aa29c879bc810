import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";

import {
  batchNormTraining,
  batchNormTrainingGradKernelName,
  batchNormTrainingKernelName,
  registerNativeBackend,
  type BatchNormActivation,
} from "../src/index.ts";
import { nativeVsCpu, randomFloats, relativeError, runOn } from "./compare-backends.ts";

beforeAll(async () => {
  await registerNativeBackend({ threads: 2 });
  await tf.setBackend("native");
});

/**
 * The fused op (native kernels) against the same op on the cpu backend, which composes tf.moments + tf.batchNorm +
 * the activation (the path every other backend takes). Inputs: x shifted off zero (mean 0.5, spread 2) as conv
 * outputs are, scale near 1, offset near 0; the loss weights every output (and the statistics) by random numbers.
 */
function forwardAndGrads(activation: BatchNormActivation, withStatistics: boolean) {
  return (x: tf.Tensor, s: tf.Tensor, o: tf.Tensor, w: tf.Tensor, ws: tf.Tensor) => {
    const xs = tf.add(tf.mul(x, 2), 0.5), scale = tf.add(tf.mul(s, 0.1), 1) as tf.Tensor1D, offset = tf.mul(o, 0.1) as tf.Tensor1D;
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const r = batchNormTraining(a, b as tf.Tensor1D, c as tf.Tensor1D, { epsilon: 1e-5, activation, alpha: 0.2 });
      const loss = tf.sum(tf.mul(r.y, w));
      return (withStatistics ? tf.add(loss, tf.sum(tf.mul(tf.add(r.mean, tf.mul(r.variance, 3)), ws))) : loss) as tf.Scalar;
    };
    const { y, mean, variance } = batchNormTraining(xs, scale, offset, { epsilon: 1e-5, activation, alpha: 0.2 });
    return [y, mean, variance, ...tf.grads(f)([xs, scale, offset])];
  };
}

describe("fused training batch norm", () => {
  // A 3D-GAN volume (B, D, H, W, C), an MLP batch, and an odd shape whose row count spans several row blocks.
  const shapes: number[][] = [[4, 4, 4, 4, 32], [64, 50], [3, 37, 41, 5]];
  it.each(shapes.flatMap((shape) => (["linear", "relu", "leakyrelu"] as const).map((a) => [shape, a] as const)))(
    "matches the composed ops forward and backward (%j, %s)",
    (shape, activation) => {
      const c = shape.at(-1)!;
      expect(tf.getKernel(batchNormTrainingKernelName, "native")).toBeDefined();
      const err = nativeVsCpu([shape, [c], [c], shape, [c]], forwardAndGrads(activation, false), 11);
      expect(err).toBeLessThan(2e-6);
    },
  );

  it("folds in a bias added before normalising (forward, statistics, gradients; the bias's own gradient is ~0)", () => {
    const shape = [4, 6, 6, 6, 32];
    const f = (x: tf.Tensor, s: tf.Tensor, o: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
      const scale = tf.add(tf.mul(s, 0.1), 1) as tf.Tensor1D, offset = tf.mul(o, 0.1) as tf.Tensor1D, bias = tf.mul(b, 3) as tf.Tensor1D;
      const loss = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
        tf.sum(tf.mul(batchNormTraining(a, c as tf.Tensor1D, d as tf.Tensor1D, { epsilon: 1e-5, activation: "leakyrelu", bias: e as tf.Tensor1D }).y, w)) as tf.Scalar;
      const r = batchNormTraining(x, scale, offset, { epsilon: 1e-5, activation: "leakyrelu", bias });
      return [r.y, r.mean, r.variance, ...tf.grads(loss)([x, scale, offset, bias])];
    };
    const specs = [shape, [32], [32], shape, [32]];
    expect(nativeVsCpu(specs, (...xs) => f(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).slice(0, 6), 21)).toBeLessThan(2e-6);
    // dbias = Σ dx over the rows: zero but for rounding on both backends (a wrong one would be of the order of rows)
    const rows = 4 * 6 * 6 * 6;
    for (const backend of ["cpu", "native"]) {
      const [dx, dbias] = runOn(backend, specs, 21, (...xs) => f(...(xs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).slice(3).filter((_, i) => i === 0 || i === 3));
      const dxMax = Math.max(...dx!.map(Math.abs));
      expect(Math.max(...dbias!.map(Math.abs))).toBeLessThan(1e-5 * rows * dxMax);
    }
    tf.setBackend("native");
  });

  it("passes gradients reaching the mean and variance outputs to x", () => {
    const err = nativeVsCpu([[6, 9, 16], [16], [16], [6, 9, 16], [16]], forwardAndGrads("relu", true), 5);
    expect(err).toBeLessThan(2e-6);
  });

  it("gives the same bits with 1 and 2 threads, and leaks no tensors", async () => {
    tf.setBackend("native");
    const shape = [8, 8, 8, 8, 64];
    const run = () => tf.tidy(() => {
      const inputs = [shape, [64], [64], shape, [64]].map((s, i) => tf.tensor(randomFloats(s.reduce((a, b) => a * b, 1), 3 + i), s));
      return forwardAndGrads("leakyrelu", true)(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).map((t) => t.dataSync().slice());
    });
    run();
    const before = tf.memory().numTensors;
    await registerNativeBackend({ threads: 1 });
    const one = run();
    await registerNativeBackend({ threads: 2 });
    const two = run();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < one.length; i++) expect(relativeError(two[i] as Float32Array, one[i] as Float32Array)).toBe(0);
  }, 30_000); // three passes over 262,144 values on the cpu side: seconds on a loaded 2-core box

  it("rejects parameters that do not match the channels, naming them", () => {
    tf.setBackend("native");
    tf.tidy(() => {
      expect(() => batchNormTraining(tf.zeros([4, 3]), tf.ones([4]), tf.zeros([3]))).toThrow(/scale has shape \[4\], x has 3 channels/);
      expect(() => batchNormTraining(tf.zeros([3]), tf.ones([3]), tf.zeros([3]))).toThrow(/no batch axis/);
      expect(() =>
        tf.engine().runKernel(batchNormTrainingGradKernelName, {
          dy: tf.zeros([4, 3]), x: tf.zeros([4, 3]), y: tf.zeros([4, 3]), scale: tf.ones([3]), mean: tf.zeros([3]),
          variance: tf.ones([2]), dmean: tf.zeros([3]), dvariance: tf.zeros([3]),
        }, { varianceEpsilon: 1e-5, activation: "linear", alpha: 0.2 }),
      ).toThrow(/variance has shape \[2\], expected 3 channels/);
    });
  });
});
