/**
 * Entry point of the `ganflow` command. Exit codes: 0 ok; 1 a stage failed, or `verify` found problems; 2 bad
 * input (usage, pipeline, params, input files or data, unknown or damaged run record); 3 the store cannot be
 * written (read-only, full, permissions); 70 internal error (a bug; `--verbose` prints the stack); 130
 * interrupted. Ctrl-C (or SIGTERM) interrupts running stages, removes their temporary outputs and keeps every
 * finished stage in the store; a second Ctrl-C exits at once. A run started by `--watch` stops the same way
 * when its supervisor goes away (even by kill -9).
 */
import { Cause, Effect, Exit, Fiber } from "effect"
import { findWorkspaceRoot } from "@ganflow/core"
import { parseArguments, usage, type Arguments } from "./arguments.ts"
import { runCommand } from "./commands/run.ts"
import { statusCommand } from "./commands/status.ts"
import { runsCommand } from "./commands/runs.ts"
import { diffCommand } from "./commands/diff.ts"
import { gcCommand } from "./commands/gc.ts"
import { watchCommand } from "./commands/watch.ts"
import { reportCommand } from "./commands/report.ts"
import { verifyCommand } from "./commands/verify.ts"
import { storeProblemHint } from "@ganflow/core"
import { listPipelineFiles, preloadPipeline, type PreloadedPipeline } from "./load-pipeline.ts"
import { isRemoteCommand, parseRemoteArguments, remoteUsage, type RemoteArguments } from "./remote-arguments.ts"

/**
 * Run a remote-cache command (remote add|list|remove, push, pull, gc --remote). Loaded on demand, so the
 * pipeline commands never evaluate the remote code at start-up.
 */
const dispatchRemote = (root: string, args: RemoteArguments): Effect.Effect<unknown, unknown> =>
  Effect.flatMap(Effect.promise(() => import("./commands/remote-commands.ts")), ({ runRemoteCommand }) => runRemoteCommand(root, args))

const dispatch = (root: string, args: Arguments): Effect.Effect<unknown, unknown> => {
  if (args.help) return Effect.sync(() => process.stdout.write(`${usage}${remoteUsage}`))
  switch (args.command) {
    case "run":
      return args.watch ? watchCommand(root, args) : runCommand(root, args)
    case "exec-stage":
      return Effect.flatMap(Effect.promise(() => import("./commands/exec-stage.ts")), ({ execStageCommand }) => execStageCommand(root, args))
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
    case "verify":
      return verifyCommand(root, args)
    case "sweep":
      return Effect.flatMap(Effect.promise(() => import("./commands/sweep.ts")), ({ sweepCommand }) => sweepCommand(root, args))
    case "sweeps":
      return Effect.flatMap(Effect.promise(() => import("./commands/sweeps.ts")), ({ sweepsCommand }) => sweepsCommand(root, args))
    case "sweep-report":
      return Effect.flatMap(Effect.promise(() => import("./commands/sweep-report.ts")), ({ sweepReportCommand }) => sweepReportCommand(root, args))
    case "list":
      return Effect.sync(() => {
        for (const [name, file] of listPipelineFiles(root)) process.stdout.write(`${name.padEnd(20)} ${file}\n`)
      })
    case "help":
      return Effect.sync(() => process.stdout.write(`${usage}${remoteUsage}`))
    default:
      return Effect.fail(new TypeError(`unknown command ${args.command}\n\n${usage}`))
  }
}

/** Exit codes of the documented failures (see the module comment). */
const exitCodeOf = (error: unknown): number => {
  const tag = (error as { _tag?: string })._tag
  if (tag === "RunFailed") return (error as { badInput?: boolean }).badInput === true ? 2 : 1
  if (tag === "SweepFailed") return 1
  if (tag === "StoreNotClean" || tag === "PullIncomplete") return 1
  if (tag === "StoreIOError" || storeProblemHint(error) !== "") return 3
  return 2
}

/** File system failures (a store on a read-only disk, say) that escape as defects still get one line and exit 3. */
const isFileSystemError = (e: unknown): e is NodeJS.ErrnoException => typeof (e as { code?: unknown } | null)?.code === "string" && typeof (e as { syscall?: unknown }).syscall === "string"

/** Run the CLI on process.argv; `preloaded` is the pipeline the launcher bundled in, if any. */
export const main = (preloaded?: PreloadedPipeline) => {
  if (preloaded !== undefined) preloadPipeline(preloaded)
  let args: Arguments
  let remoteArgs: RemoteArguments | undefined
  try {
    const argv = process.argv.slice(2)
    if (isRemoteCommand(argv)) {
      remoteArgs = parseRemoteArguments(argv)
      args = { ...parseArguments([]), verbose: argv.includes("--verbose") || argv.includes("-v") }
    } else args = parseArguments(argv)
  } catch (e) {
    process.stderr.write(`ganflow: ${(e as Error).message}\n\n${usage}${remoteUsage}`)
    process.exit(2)
  }
  const root = findWorkspaceRoot()
  const fiber = Effect.runFork(remoteArgs !== undefined ? dispatchRemote(root, remoteArgs) : dispatch(root, args))
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
  // a run started by `--watch` stops (cleanly, as on Ctrl-C) when its supervisor is gone, even after kill -9
  if (args.ipc && process.send !== undefined) process.on("disconnect", onSignal)
  // a command whose work stopped without ending (nothing left for the event loop) is a bug, never a success
  const stalled = () => {
    process.stderr.write("ganflow: internal error: the command stopped without finishing (a bug in ganflow)\n")
    process.exit(70)
  }
  process.on("beforeExit", stalled)
  fiber.addObserver((exit) => {
    process.off("beforeExit", stalled)
    let code = 0
    if (Exit.isFailure(exit)) {
      if (Cause.isInterruptedOnly(exit.cause)) code = 130
      else {
        const failure = Cause.failureOption(exit.cause)
        const defect = Cause.dieOption(exit.cause)
        if (failure._tag === "Some") {
          process.stderr.write(`ganflow: ${(failure.value as Error).message ?? String(failure.value)}${storeProblemHint(failure.value)}\n`)
          code = exitCodeOf(failure.value)
        } else if (defect._tag === "Some" && isFileSystemError(defect.value)) {
          process.stderr.write(`ganflow: ${defect.value.message}${storeProblemHint(defect.value)}\n`)
          code = storeProblemHint(defect.value) !== "" ? 3 : 2
        } else {
          const message = defect._tag === "Some" ? ((defect.value as Error)?.message ?? String(defect.value)) : "unexpected failure"
          process.stderr.write(`ganflow: internal error: ${message} (a bug in ganflow; ${args.verbose ? "stack below" : "--verbose prints the stack"})\n`)
          code = 70
        }
        if (args.verbose) process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
      }
    }
    // Exit explicitly: tensor backends may keep worker threads alive.
    process.stdout.write("", () => process.exit(code))
  })
}

