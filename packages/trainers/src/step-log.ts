import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"

/** One line of the per-step JSONL log. Times in milliseconds and seconds as named. */
export interface StepRecord {
  readonly step: number
  /** Unix time of the line, seconds. */
  readonly time: number
  /** Duration of this step (all D updates + the G update), ms. */
  readonly stepMs: number
  readonly dLoss: number
  readonly gLoss: number
  readonly gradientPenalty?: number
  /** D's accuracy on the batch and whether its update was skipped (with `tricks.discriminatorAccuracyLimit`). */
  readonly dAccuracy?: number
  readonly dSkipped?: boolean
}

/**
 * Appends {@link StepRecord}s to a JSONL file, one object per line. Opening it to resume at `resumeStep` first drops
 * lines with a later step (a killed run logged steps its last checkpoint does not hold), so the log reads as one run.
 */
export class StepLog {
  constructor(readonly file: string, resumeStep = 0) {
    mkdirSync(dirname(file), { recursive: true })
    if (existsSync(file)) {
      const kept = readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .filter((line) => {
          try {
            return (JSON.parse(line) as StepRecord).step <= resumeStep
          } catch {
            return false // a half-written last line from a killed run
          }
        })
      writeFileSync(file, kept.map((l) => l + "\n").join(""))
    } else writeFileSync(file, "") // a run resumed at its last step logs nothing, and still has its (empty) log
  }

  append(record: StepRecord): void {
    appendFileSync(this.file, JSON.stringify(record) + "\n")
  }
}

/** Reads a JSONL step log back (skipping a torn last line). */
export const readStepLog = (file: string): StepRecord[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as StepRecord]
      } catch {
        return []
      }
    })
