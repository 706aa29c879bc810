/**
 * Runs a PyTorch peer script with Debian's Python (`/usr/bin/python3`, torch 1.13) and OMP_WAIT_POLICY=PASSIVE,
 * and parses the Python dict it prints on its last line. Shared by the bench/native-*.ts benchmarks.
 */
import { execFileSync } from "node:child_process";

/** Runs `python3 script args...`; returns the parsed dict printed last, or throws with the script's stderr. */
export function runTorchPeer(script: string, args: Array<string | number>, threads: number): Record<string, unknown> {
  // GANFLOW_BENCH_PYTHON: another interpreter (a GPU machine's python3 with CUDA torch)
  const out = execFileSync(process.env["GANFLOW_BENCH_PYTHON"] ?? "/usr/bin/python3", [script, ...args.map(String)], {
    env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    encoding: "utf8",
    maxBuffer: 16 << 20,
  });
  const last = out.trim().split("\n").pop() ?? "";
  // The peers print Python dict literals: turn them into JSON.
  const json = last.replace(/'/g, '"').replace(/\bTrue\b/g, "true").replace(/\bFalse\b/g, "false").replace(/\bNone\b/g, "null");
  return JSON.parse(json) as Record<string, unknown>;
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Reads `--name value` from argv, with a default. */
export function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
