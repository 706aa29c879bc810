/** `ganflow run <pipeline> --watch`: rerun invalidated stages whenever inputs or code change. */
import { Effect } from "effect"
import { execFile, fork } from "node:child_process"
import { watchPipeline, PipelineNotFound, type StageStatus } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"
import { pipelineFile } from "../load-pipeline.ts"
import { paramsFilePath } from "../params-file.ts"
import { executorOptions, paramsAndBackendOptions } from "../forwarded-options.ts"

const forwarded = (args: Arguments): string[] => [
  ...paramsAndBackendOptions(args),
  ...executorOptions(args),
  ...(args.jobs !== undefined ? ["--jobs", String(args.jobs)] : []),
  ...(args.only.length > 0 ? ["--only", args.only.join(",")] : []),
  ...(args.store !== undefined ? ["--store", args.store] : []),
]

/** Supervise runs until SIGINT/SIGTERM. */
export const watchCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const name = args.positionals[0]
    if (name === undefined) return yield* Effect.fail(new TypeError("ganflow run --watch: which pipeline?"))
    const file = pipelineFile(root, name)
    if (file === undefined) return yield* Effect.fail(new PipelineNotFound({ name, reason: "no such pipeline" }))
    const bin = process.argv[1]!
    const extra = forwarded(args)
    // each run uses the remote; the status that finds what to watch needs only local keys
    const remote = [...(args.remote !== undefined ? ["--remote", args.remote] : []), ...(args.pullAll ? ["--pull-all"] : [])]
    const handle = yield* Effect.promise(() =>
      watchPipeline({
        alwaysWatch: [file, ...(args.paramsFile !== undefined ? [paramsFilePath(args.paramsFile)] : [])],
        log: (line) => void process.stdout.write(`${line}\n`),
        startRun: () => fork(bin, ["run", name, ...extra, ...remote, "--ipc"], { cwd: root, stdio: ["inherit", "inherit", "inherit", "ipc"] }),
        status: () =>
          new Promise<ReadonlyArray<StageStatus>>((resolve, reject) =>
            execFile(process.execPath, [bin, "status", name, ...extra, "--json"], { cwd: root, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
              if (err !== null) reject(new Error(stderr.trim() || err.message))
              else resolve(JSON.parse(stdout) as StageStatus[])
            }),
          ),
      }),
    )
    // Ctrl-C / SIGTERM stop the watcher and its run; the command then ends as interrupted (exit 130)
    yield* Effect.async<void>((resume) => {
      const stop = () => {
        void handle.stop().then(() => resume(Effect.interrupt))
      }
      process.once("SIGINT", stop)
      process.once("SIGTERM", stop)
    })
  })
