/**
 * Entry point of the `ganflow` command. Exit codes: 0 ok, 1 a stage failed, 2 invalid pipeline, params or
 * usage, 130 interrupted. Ctrl-C (or SIGTERM) interrupts running stages, removes their temporary outputs and
 * keeps every finished stage in the store; a second Ctrl-C exits at once.
 */
import { Cause, Effect, Exit, Fiber } from "effect"
import { findWorkspaceRoot } from "@ganflow/core"
import { parseArguments, usage, type Arguments } from "./Arguments.ts"
import { runCommand } from "./commands/run.ts"
import { statusCommand } from "./commands/status.ts"
import { runsCommand } from "./commands/runs.ts"
import { diffCommand } from "./commands/diff.ts"
import { gcCommand } from "./commands/gc.ts"
import { watchCommand } from "./commands/watch.ts"
import { reportCommand } from "./commands/report.ts"
import { listPipelineFiles, preloadPipeline, type PreloadedPipeline } from "./LoadPipeline.ts"

const dispatch = (root: string, args: Arguments): Effect.Effect<unknown, unknown> => {
  if (args.help) return Effect.sync(() => process.stdout.write(usage))
  switch (args.command) {
    case "run":
      return args.watch ? watchCommand(root, args) : runCommand(root, args)
    case "status":
      return statusCommand(root, args)
    case "runs":
      return runsCommand(root, args)
    case "diff":
      return diffCommand(root, args)
    case "gc":
      return gcCommand(root, args)
    case "report":
      return reportCommand(root, args)
    case "list":
      return Effect.sync(() => {
        for (const [name, file] of listPipelineFiles(root)) process.stdout.write(`${name.padEnd(20)} ${file}\n`)
      })
    case "help":
      return Effect.sync(() => process.stdout.write(usage))
    default:
      return Effect.fail(new TypeError(`unknown command ${args.command}\n\n${usage}`))
  }
}

const exitCodeOf = (error: unknown): number => {
  const tag = (error as { _tag?: string })._tag
  if (tag === "RunFailed") return 1
  return 2
}

/** Run the CLI on process.argv; `preloaded` is the pipeline the launcher bundled in, if any. */
export const main = (preloaded?: PreloadedPipeline) => {
  if (preloaded !== undefined) preloadPipeline(preloaded)
  let args: Arguments
  try {
    args = parseArguments(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`ganflow: ${(e as Error).message}\n\n${usage}`)
    process.exit(2)
  }
  // stages choose their backend from these (see @ganflow/backend stageBackend); watch children inherit them
  if (args.backend !== undefined) process.env["GANFLOW_BACKEND"] = args.backend
  if (args.threads !== undefined) process.env["GANFLOW_THREADS"] = String(args.threads)
  const root = findWorkspaceRoot()
  const fiber = Effect.runFork(dispatch(root, args))
  let interrupts = 0
  const onSignal = () => {
    if (args.watch) return // the watch command handles its own signals
    interrupts++
    if (interrupts > 1) process.exit(130)
    process.stderr.write("\nganflow: interrupting running stages (Ctrl-C again to exit at once)\n")
    void Effect.runPromise(Fiber.interrupt(fiber))
  }
  process.on("SIGINT", onSignal)
  process.on("SIGTERM", onSignal)
  fiber.addObserver((exit) => {
    let code = 0
    if (Exit.isFailure(exit)) {
      if (Cause.isInterruptedOnly(exit.cause)) code = 130
      else {
        const failure = Cause.failureOption(exit.cause)
        if (failure._tag === "Some") {
          process.stderr.write(`ganflow: ${(failure.value as Error).message ?? String(failure.value)}\n`)
          code = exitCodeOf(failure.value)
        } else {
          process.stderr.write(`ganflow: internal error\n${Cause.pretty(exit.cause)}\n`)
          code = 70
        }
      }
    }
    // Exit explicitly: tensor backends may keep worker threads alive.
    process.stdout.write("", () => process.exit(code))
  })
}

