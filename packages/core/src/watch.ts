/**
 * Watch mode. A supervisor keeps one run of the pipeline going in a child process (fresh code on every
 * start), watches every file the stages depend on (inputs, stage code, the pipeline file) with chokidar, and
 * on a change (debounced) asks a fresh `status` which stages are now stale. A running stage whose key changed
 * is interrupted and the run restarted; otherwise the next run starts when the current one ends, and it
 * reruns only the invalidated stages (the rest are cache hits).
 */
import type { ChildProcess } from "node:child_process"
import type { StageStatus } from "./status.ts"

/** How the supervisor starts runs and asks for status; both are child processes of the CLI. */
export interface WatchLauncher {
  /** Start a run; the child sends `{ type: "stage-start", stage, key }` and `{ type: "stage-end", stage }` over IPC. */
  readonly startRun: () => ChildProcess
  /** Current status with fresh code (a child process printing JSON). */
  readonly status: () => Promise<ReadonlyArray<StageStatus>>
  /** Files that always matter (the pipeline file). */
  readonly alwaysWatch: ReadonlyArray<string>
  readonly log: (line: string) => void
  readonly debounceMs?: number
}

/** Run the watch loop until the returned `stop` is called. */
export const watchPipeline = async (launcher: WatchLauncher): Promise<{ readonly stop: () => Promise<void>; readonly runs: () => number }> => {
  let child: ChildProcess | undefined
  const running = new Map<string, string>()
  let pending = false
  let runs = 0
  let stopped = false
  // loaded here, not at the top: only watch mode needs it, and every CLI start would pay for it
  const { default: chokidar } = await import("chokidar")
  const watcher = chokidar.watch([...launcher.alwaysWatch], { ignoreInitial: true, ignored: (p) => /(^|\/)(\.ganflow|node_modules|\.git)(\/|$)/.test(p) })

  const setWatched = (statuses: ReadonlyArray<StageStatus>) => {
    const paths = new Set([...launcher.alwaysWatch, ...statuses.flatMap((s) => s.watch)])
    watcher.add([...paths])
  }

  const start = () => {
    if (stopped) return
    pending = false
    runs++
    running.clear()
    const c = launcher.startRun()
    child = c
    c.on("message", (m: { type?: string; stage?: string; key?: string }) => {
      if (m.type === "stage-start" && m.stage !== undefined && m.key !== undefined) running.set(m.stage, m.key)
      if (m.type === "stage-end" && m.stage !== undefined) running.delete(m.stage)
    })
    c.on("exit", () => {
      if (child === c) child = undefined
      running.clear()
      if (pending) start()
      else launcher.log("ganflow: watching for changes (Ctrl-C to stop)")
    })
  }

  let timer: NodeJS.Timeout | undefined
  const onChange = async () => {
    let statuses: ReadonlyArray<StageStatus>
    try {
      statuses = await launcher.status()
    } catch (e) {
      launcher.log(`ganflow: status failed after a change: ${(e as Error).message}`)
      return
    }
    setWatched(statuses)
    const byName = new Map(statuses.map((s) => [s.name, s]))
    const invalidated = [...running.entries()].filter(([stage, key]) => {
      const now = byName.get(stage)
      return now === undefined || now.key !== key
    })
    if (child !== undefined && invalidated.length > 0) {
      launcher.log(`ganflow: inputs of running stage ${invalidated.map(([s]) => s).join(", ")} changed; restarting it`)
      pending = true
      child.kill("SIGTERM")
    } else if (child !== undefined) {
      if (statuses.some((s) => s.state !== "cached")) pending = true
    } else if (statuses.some((s) => s.state !== "cached")) {
      start()
    }
  }
  watcher.on("all", (_event, path) => {
    launcher.log(`ganflow: changed ${path}`)
    clearTimeout(timer)
    timer = setTimeout(() => void onChange(), launcher.debounceMs ?? 300)
  })
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()))
  setWatched(await launcher.status())
  start()
  return {
    runs: () => runs,
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await watcher.close()
      if (child !== undefined) {
        const c = child
        await new Promise<void>((resolve) => {
          c.once("exit", () => resolve())
          c.kill("SIGTERM")
        })
      }
    },
  }
}
