/** One child process as an Effect: its output collected, killed when the Effect is interrupted. */
import { spawn } from "node:child_process"
import { Effect } from "effect"
import { SlurmCommandMissing } from "../errors.ts"
import type { CommandOutput } from "../slurm-cli.ts"

/** Runs `command` (looked up on `env.PATH`) to completion; fails with SlurmCommandMissing when it is not there. */
export const spawnCommand = (
  command: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  stdin?: string,
): Effect.Effect<CommandOutput, SlurmCommandMissing> =>
  Effect.async<CommandOutput, SlurmCommandMissing>((resume) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] })
    const stdout: Array<Buffer> = []
    const stderr: Array<Buffer> = []
    let settled = false // an ENOENT child emits both "error" and "close"
    const settle = (result: Effect.Effect<CommandOutput, SlurmCommandMissing>) => {
      if (settled) return
      settled = true
      resume(result)
    }
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk))
    child.stdin.on("error", () => {}) // a command that exits without reading its input
    child.on("error", (error: NodeJS.ErrnoException) => {
      settle(error.code === "ENOENT" ? Effect.fail(new SlurmCommandMissing({ command })) : Effect.die(error))
    })
    child.on("close", (code) =>
      settle(
        Effect.succeed({
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: Buffer.concat(stderr).toString("utf8"),
          exitCode: code,
        }),
      ),
    )
    child.stdin.end(stdin ?? "")
    return Effect.sync(() => {
      child.kill("SIGTERM")
    })
  })
