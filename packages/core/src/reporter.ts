/**
 * What a run tells the user while it goes: which stages are cached, which run and why, progress of long
 * stages (a bar on a terminal, plain throttled lines otherwise), logs, failures, and where outputs are.
 */
import type { ProgressUpdate } from "./stage.ts"

/** Events a run emits, in order per stage. */
export type RunEvent =
  | { readonly type: "run-start"; readonly pipeline: string; readonly runId: string; readonly stages: number }
  | {
      readonly type: "stage-cached"
      readonly stage: string
      readonly key: string
      readonly dir: string
      readonly ms: number
      /** A hit on the remote cache: its name, and whether (and how much) was downloaded. */
      readonly remote?: { readonly remote: string; readonly downloaded: boolean; readonly objects: number; readonly bytes: number }
    }
  | { readonly type: "stage-waiting"; readonly stage: string; readonly holder: number }
  | { readonly type: "stage-start"; readonly stage: string; readonly key: string; readonly reasons: ReadonlyArray<string> }
  | { readonly type: "stage-progress"; readonly stage: string; readonly update: ProgressUpdate }
  | { readonly type: "stage-log"; readonly stage: string; readonly line: string }
  | { readonly type: "stage-done"; readonly stage: string; readonly key: string; readonly dir: string; readonly ms: number }
  | { readonly type: "stage-failed"; readonly stage: string; readonly message: string }
  | { readonly type: "stage-skipped"; readonly stage: string; readonly upstream: string }
  | { readonly type: "stage-interrupted"; readonly stage: string }
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "run-end"; readonly status: "ok" | "failed" | "interrupted"; readonly ms: number; readonly record: string | undefined }

/** Receives run events. */
export interface Reporter {
  readonly event: (event: RunEvent) => void
}

/** A reporter that drops everything (library use, tests). */
export const silentReporter: Reporter = { event: () => {} }

/** A reporter that collects events in an array (tests). */
export const collectingReporter = (): Reporter & { readonly events: RunEvent[] } => {
  const events: RunEvent[] = []
  return { events, event: (e) => void events.push(e) }
}

/** Byte counts as people read them: `1.2 MB`, `340 kB`, `12 B` (decimal units, as `gc` reports). */
export const formatBytes = (bytes: number): string =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`

const ms = (t: number): string => (t < 1000 ? `${Math.round(t)}ms` : t < 60_000 ? `${(t / 1000).toFixed(1)}s` : `${Math.floor(t / 60_000)}m${Math.round((t % 60_000) / 1000)}s`)

/**
 * The console reporter: stage lines on stderr-free stdout; on a TTY, one live progress bar line that is
 * redrawn in place, otherwise a progress line at most every `plainEveryMs`.
 */
export const consoleReporter = (options: { tty?: boolean; plainEveryMs?: number; write?: (s: string) => void } = {}): Reporter => {
  const tty = options.tty ?? process.stdout.isTTY === true
  const write = options.write ?? ((s: string) => void process.stdout.write(s))
  const every = options.plainEveryMs ?? 5000
  const lastPlain = new Map<string, number>()
  const started = new Map<string, number>()
  let barShown = false
  const clearBar = () => {
    if (barShown) {
      write("\r\x1b[2K")
      barShown = false
    }
  }
  const line = (s: string) => {
    clearBar()
    write(`${s}\n`)
  }
  return {
    event: (e) => {
      switch (e.type) {
        case "run-start":
          line(`ganflow: ${e.pipeline} (${e.stages} stages), run ${e.runId}`)
          break
        case "stage-cached":
          line(`  = ${e.stage.padEnd(18)} cached${e.remote === undefined ? "" : ` (remote ${e.remote.remote}: ${e.remote.downloaded ? `${e.remote.objects} files, ${formatBytes(e.remote.bytes)} downloaded` : "not downloaded"})`}`)
          break
        case "stage-waiting":
          line(`  … ${e.stage.padEnd(18)} waiting for process ${e.holder}, which is computing the same output`)
          break
        case "stage-start":
          started.set(e.stage, Date.now())
          line(`  > ${e.stage.padEnd(18)} running: ${e.reasons.join("; ")}`)
          break
        case "stage-progress": {
          const u = e.update
          const t0 = started.get(e.stage) ?? Date.now()
          const elapsed = (Date.now() - t0) / 1000
          const rate = elapsed > 0 ? u.step / elapsed : 0
          const eta = u.total !== undefined && rate > 0 ? ms(((u.total - u.step) / rate) * 1000) : "?"
          const frac = u.total !== undefined && u.total > 0 ? Math.min(1, u.step / u.total) : undefined
          const text = `${u.step}${u.total !== undefined ? `/${u.total}` : ""} ${rate.toFixed(2)}/s eta ${eta}${u.message !== undefined ? ` ${u.message}` : ""}`
          if (tty) {
            const width = 24
            const bar = frac === undefined ? "" : `[${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] `
            write(`\r\x1b[2K    ${e.stage} ${bar}${text}`)
            barShown = true
          } else {
            const now = Date.now()
            if (now - (lastPlain.get(e.stage) ?? 0) >= every || (u.total !== undefined && u.step >= u.total)) {
              lastPlain.set(e.stage, now)
              line(`    ${e.stage} ${text}`)
            }
          }
          break
        }
        case "stage-log":
          line(`    ${e.stage}: ${e.line}`)
          break
        case "stage-done":
          line(`  ✓ ${e.stage.padEnd(18)} done in ${ms(e.ms)} -> ${e.dir}`)
          break
        case "stage-failed":
          line(`  ✗ ${e.stage.padEnd(18)} FAILED: ${e.message}`)
          break
        case "stage-skipped":
          line(`  - ${e.stage.padEnd(18)} skipped: upstream ${e.upstream} failed`)
          break
        case "stage-interrupted":
          line(`  ! ${e.stage.padEnd(18)} interrupted (its temporary outputs were removed)`)
          break
        case "warning":
          line(`  ! ${e.message}`)
          break
        case "run-end":
          line(`ganflow: ${e.status} in ${ms(e.ms)}; ${e.record === undefined ? "no run record (the store is not writable)" : `record ${e.record}`}`)
          break
      }
    },
  }
}
