/**
 * Times a native-backend GAN step (bench/native-gan-graphs.ts) against its PyTorch peer at each thread count, in
 * interleaved rounds (ours then the peer, back to back), and prints the medians and the best/best ratio.
 * Shared by bench/native-3dgan-step.ts and bench/native-vanilla-step.ts.
 */
import { registerNativeBackend } from "../packages/native/src/index.ts";
import type { GanStep } from "./native-gan-graphs.ts";
import { median, runTorchPeer } from "./native-torch-peer.ts";

/** What to run: the step, its batch, and the peer (called with `[...peerArgs, threads]`, reporting `peerRateKey`). */
export interface NativeStepComparison {
  readonly title: string;
  readonly unit: string;
  readonly gan: GanStep;
  readonly batch: number;
  readonly steps: number;
  readonly rounds: number;
  readonly threads: readonly number[];
  readonly peer: string;
  readonly peerArgs: ReadonlyArray<string | number>;
  readonly peerRateKey: string;
}

/** Runs the rounds and prints per-round and median rates; returns the best/best ratio. */
export async function compareNativeSteps(c: NativeStepComparison): Promise<number> {
  const ours: Record<number, number[]> = {};
  const torch: Record<number, number[]> = {};
  for (let round = 0; round < c.rounds; round++) {
    for (const threads of c.threads) {
      const info = await registerNativeBackend({ threads });
      c.gan.step();
      const times: number[] = [];
      for (let i = 0; i < c.steps; i++) {
        const t0 = performance.now();
        c.gan.step();
        times.push(performance.now() - t0);
      }
      (ours[threads] ??= []).push((c.batch * 1000) / median(times));
      (torch[threads] ??= []).push(Number(runTorchPeer(c.peer, [...c.peerArgs, threads], threads)[c.peerRateKey]));
      console.log(`  round ${round} ${threads}t: native(${info.isa}) ${ours[threads]!.at(-1)!.toFixed(2)} ${c.unit}, torch ${torch[threads]!.at(-1)} ${c.unit}`);
    }
  }
  const bestOurs = Math.max(...c.threads.map((t) => median(ours[t]!)));
  const bestTorch = Math.max(...c.threads.map((t) => median(torch[t]!)));
  const ratio = bestOurs / bestTorch;
  console.log(`${c.title}: native ${c.threads.map((t) => `${t}t ${median(ours[t]!).toFixed(2)}`).join(", ")} ${c.unit}; ` +
    `torch ${c.threads.map((t) => `${t}t ${median(torch[t]!).toFixed(2)}`).join(", ")} ${c.unit}; best/best = ${ratio.toFixed(2)}x`);
  return ratio;
}
