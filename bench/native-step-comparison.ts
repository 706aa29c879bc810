/**
 * Times a native-backend GAN step (bench/native-gan-graphs.ts) against its PyTorch peer at each thread count, in
 * interleaved rounds (ours then the peer, back to back), and prints the medians and the best/best ratio.
 * Also the process CPU time per step of both (the peers report `cpu_median_ms`), as a rate: on a box shared with
 * other jobs, wall time mostly measures who got the cores, while CPU time at 1 thread is the work a step costs (at
 * 2 threads it adds the pools' waiting, ours polling ~50 us before sleeping).
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
  const oursCpu: Record<number, number[]> = {};
  const torchCpu: Record<number, number[]> = {};
  for (let round = 0; round < c.rounds; round++) {
    for (const threads of c.threads) {
      const info = await registerNativeBackend({ threads });
      c.gan.step();
      const times: number[] = [], cpuTimes: number[] = [];
      for (let i = 0; i < c.steps; i++) {
        const t0 = performance.now(), c0 = process.cpuUsage();
        c.gan.step();
        times.push(performance.now() - t0);
        const cpu = process.cpuUsage(c0);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
      }
      (ours[threads] ??= []).push((c.batch * 1000) / median(times));
      (oursCpu[threads] ??= []).push((c.batch * 1000) / median(cpuTimes));
      const peer = runTorchPeer(c.peer, [...c.peerArgs, threads], threads);
      (torch[threads] ??= []).push(Number(peer[c.peerRateKey]));
      (torchCpu[threads] ??= []).push((c.batch * 1000) / Number(peer["cpu_median_ms"]));
      console.log(`  round ${round} ${threads}t: native(${info.isa}) ${ours[threads]!.at(-1)!.toFixed(2)} ${c.unit}, torch ${torch[threads]!.at(-1)} ${c.unit}; ` +
        `per CPU-second: native ${oursCpu[threads]!.at(-1)!.toFixed(2)}, torch ${torchCpu[threads]!.at(-1)!.toFixed(2)}`);
    }
  }
  const bestOurs = Math.max(...c.threads.map((t) => median(ours[t]!)));
  const bestTorch = Math.max(...c.threads.map((t) => median(torch[t]!)));
  const ratio = bestOurs / bestTorch;
  console.log(`${c.title}: native ${c.threads.map((t) => `${t}t ${median(ours[t]!).toFixed(2)}`).join(", ")} ${c.unit}; ` +
    `torch ${c.threads.map((t) => `${t}t ${median(torch[t]!).toFixed(2)}`).join(", ")} ${c.unit}; best/best = ${ratio.toFixed(2)}x`);
  console.log(`  per CPU-second (${c.unit} / CPU time): native ${c.threads.map((t) => `${t}t ${median(oursCpu[t]!).toFixed(2)}`).join(", ")}; ` +
    `torch ${c.threads.map((t) => `${t}t ${median(torchCpu[t]!).toFixed(2)}`).join(", ")}; ` +
    `ratio ${c.threads.map((t) => `${t}t ${(median(oursCpu[t]!) / median(torchCpu[t]!)).toFixed(2)}x`).join(", ")}`);
  return ratio;
}
