/**
 * The Slurm client commands as a service: every other module runs `sbatch`, `squeue`, `sacct` and `scancel`
 * through it, so which cluster is talked to (its `SLURM_CONF`, the PATH that holds the commands) is a Layer,
 * never ambient state. A test provides one pointed at the local cluster of `tools/slurm-cluster`.
 */
import { Context, Effect, Layer } from "effect"
import type { SlurmCommandMissing } from "./errors.ts"
import { spawnCommand } from "./internal/spawn-command.ts"

/** The Slurm commands this client uses. */
export type SlurmCommand = "sbatch" | "squeue" | "sacct" | "scancel" | "scontrol"

/** What a finished command printed and how it exited (`exitCode` null: killed by a signal). */
export interface CommandOutput {
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number | null
}

/** Runs Slurm commands. A non-zero exit is returned, not failed: each caller knows what its command's failure means. */
export class SlurmCli extends Context.Tag("@ganflow/slurm/SlurmCli")<
  SlurmCli,
  {
    /** Runs `command args…` with `stdin` on its standard input; fails only when the command is not on PATH. */
    readonly run: (
      command: SlurmCommand,
      args: ReadonlyArray<string>,
      stdin?: string,
    ) => Effect.Effect<CommandOutput, SlurmCommandMissing>
  }
>() {}

/** Where the commands run: variables added to (or, with `undefined`, removed from) this process's environment. */
export interface SlurmCliOptions {
  /** e.g. `{ SLURM_CONF: "/tmp/ganflow-slurm/slurm.conf" }`; `PATH` here decides where the commands are looked up. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The Slurm commands found on PATH, run with this process's environment plus `options.env`. */
export const layerSlurmCli = (options: SlurmCliOptions = {}): Layer.Layer<SlurmCli> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...process.env, ...options.env })) if (value !== undefined) env[key] = value
  return Layer.succeed(SlurmCli, SlurmCli.of({ run: (command, args, stdin) => spawnCommand(command, args, env, stdin) }))
}
