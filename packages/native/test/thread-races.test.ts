/**
 * Races between the thread pool's tasks, provoked: kernels whose tasks share state must give the bits of one thread
 * however the tasks are scheduled. With more pool threads than cores the OS time-slices them, so tasks run their
 * loops out of step with each other (as they do under load, where a training run on 2 threads met a sporadic NaN);
 * a few hundred runs of each kernel then meet a race that a quiet machine would hide for millions of runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadAddon, type NativeAddon } from "../src/addon.ts";

/** ConvShape record (see conv-shape.ts): batch 1, in h x w x c, out oh x ow x o, square filter f, stride 1, padding p. */
const convShape = (h: number, w: number, c: number, o: number, f: number, p: number) =>
  new Float64Array([1, 1, h, w, c, 1, h - f + 1 + 2 * p, w - f + 1 + 2 * p, o, 1, f, f, 1, 1, 1, 1, 1, 1, 0, p, p]);

let seed = 7;
const random = (n: number) =>
  Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1);

/** Runs `compute` into fresh outputs for `ms` (and at least `min` runs); returns how many runs differed from `reference` in any bit. */
const runsDiffering = (reference: Float32Array, compute: (out: Float32Array) => void, ms: number, min: number) => {
  let differing = 0, runs = 0;
  const until = performance.now() + ms;
  while (runs < min || performance.now() < until) {
    const out = new Float32Array(reference.length).fill(Number.NaN);
    compute(out);
    runs++;
    for (let i = 0; i < out.length; i++) {
      if (!Object.is(out[i], reference[i])) {
        differing++;
        break;
      }
    }
  }
  return { differing, runs };
};

describe("thread pool races", () => {
  let addon: NativeAddon;
  beforeAll(() => {
    const load = loadAddon();
    if (!load.ok) throw new Error(load.reason);
    addon = load.addon;
  });
  afterAll(() => addon.setThreads(2));

  // The forward conv's tasks (rows of the output) walk K one GEMM block at a time; each block's slice of the packed
  // filter must be the task's own. Here every block is one tap of 256 channels (49 of them) and each task one output
  // row, so tasks on different threads are at different blocks most of the time. Before the fix about 1 run in 20
  // differed here (a task multiplied its columns by another block's slice of the filter; in training, up to NaN).
  it("conv forward, K walked in blocks by one task per thread on 8 and 16 threads: the bits of 1 thread in every run", () => {
    const results: string[] = [];
    for (const threads of [8, 16]) {
      const shape = convShape(7, threads + 6, 256, 8, 7, 0); // 1 x threads outputs, K = 7 * 7 * 256
      const x = random(7 * (threads + 6) * 256), filter = random(7 * 7 * 256 * 8);
      addon.setThreads(1);
      const reference = new Float32Array(threads * 8);
      addon.convForward(x, filter, reference, shape);
      addon.setThreads(threads);
      const { differing, runs } = runsDiffering(reference, (y) => addon.convForward(x, filter, y, shape), 1000, 40);
      results.push(`${threads} threads: ${differing} of ${runs} runs differed`);
    }
    expect(results.join("; ")).toMatch(/^8 threads: 0 of \d+ runs differed; 16 threads: 0 of \d+ runs differed$/);
  }, 30_000);
});
