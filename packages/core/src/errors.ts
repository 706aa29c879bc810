/**
 * Every failure the engine can report, as tagged errors. Each message names the pipeline, stage, file or
 * param path it is about, so a user can act on it without reading a stack trace.
 */
import { Data } from "effect"

/** The pipeline's shape is wrong: a cycle, a duplicate stage name, a missing upstream, a bad `--set`. */
export class PipelineInvalid extends Data.TaggedError("PipelineInvalid")<{
  readonly pipeline: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `pipeline ${this.pipeline} is invalid:\n  ${this.problems.join("\n  ")}`
  }
}

/** A declared file or folder input does not exist or cannot be read. */
export class InputMissing extends Data.TaggedError("InputMissing")<{
  readonly stage: string
  readonly input: string
  readonly path: string
  readonly reason: string
}> {
  override get message() {
    return `stage ${this.stage}: input ${this.input} (${this.path}) ${this.reason}`
  }
}

/** A stage's own code failed; `cause` is what it failed with. */
export class StageFailed extends Data.TaggedError("StageFailed")<{
  readonly stage: string
  readonly cause: unknown
}> {
  override get message() {
    return `stage ${this.stage} failed: ${describeCause(this.cause)}`
  }
}

/** A stage did not run because a stage it reads from failed. */
export class UpstreamFailed extends Data.TaggedError("UpstreamFailed")<{
  readonly stage: string
  readonly upstream: string
}> {
  override get message() {
    return `stage ${this.stage} skipped: upstream ${this.upstream} failed`
  }
}

/** A stage finished without writing an output it declared. */
export class OutputMissing extends Data.TaggedError("OutputMissing")<{
  readonly stage: string
  readonly output: string
}> {
  override get message() {
    return `stage ${this.stage} did not write its declared output ${this.output}`
  }
}

/** Reading or writing the store failed at the file system level. */
export class StoreIOError extends Data.TaggedError("StoreIOError")<{
  readonly path: string
  readonly cause: unknown
}> {
  override get message() {
    return `store I/O failed at ${this.path}: ${describeCause(this.cause)}`
  }
}

/** A pipeline file could not be found or loaded. */
export class PipelineNotFound extends Data.TaggedError("PipelineNotFound")<{
  readonly name: string
  readonly reason: string
}> {
  override get message() {
    return `pipeline ${this.name}: ${this.reason}`
  }
}

/** One or more stages failed (their downstream was skipped); independent branches finished. */
export class RunFailed extends Data.TaggedError("RunFailed")<{
  readonly pipeline: string
  readonly failures: ReadonlyArray<string>
  /** Every failure was unreadable or malformed input data (the CLI exits 2, as for other bad input). */
  readonly badInput?: boolean
  /** The run record the failed run wrote (absent when none could be written). */
  readonly runId?: string
}> {
  override get message() {
    return `pipeline ${this.pipeline} failed:\n  ${this.failures.join("\n  ")}`
  }
}

/** A run record asked for by id does not exist. */
export class RunNotFound extends Data.TaggedError("RunNotFound")<{ readonly id: string }> {
  override get message() {
    return `no run record matches ${this.id} (see \`ganflow runs\`)`
  }
}

/** The union of everything the engine fails with. */
export type GanflowError =
  | PipelineInvalid
  | InputMissing
  | StageFailed
  | UpstreamFailed
  | OutputMissing
  | StoreIOError
  | PipelineNotFound
  | RunNotFound
  | RunFailed

/**
 * Whether a failure is bad input rather than a bug or a crash: a missing or unreadable input, or a library
 * error that marks itself `badInput` (a data file that does not parse, a wrong image size…).
 */
export const isBadInput = (error: unknown): boolean => {
  if (error instanceof InputMissing) return true
  const cause = error instanceof StageFailed ? error.cause : error
  if (typeof cause !== "object" || cause === null) return false
  if ((cause as { badInput?: unknown }).badInput === true) return true
  return cause instanceof InputMissing
}

/** A hint for file system failures of the store: read-only, full, or no permission. Empty for anything else. */
export const storeProblemHint = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  switch (code) {
    case "EROFS":
      return " (the store is on a read-only file system: use --store <writable folder> to run stages)"
    case "EACCES":
    case "EPERM":
      return " (no permission to write the store: fix its permissions or use --store <folder>)"
    case "ENOSPC":
      return " (the disk holding the store is full, or out of inodes: free space or run `ganflow gc`)"
    case "EXDEV":
      return " (the store's folders are on different file systems: keep the whole store on one file system)"
    case "EDQUOT":
      return " (disk quota exceeded for the store: free space or run `ganflow gc`)"
    default:
      return ""
  }
}

/** One line describing an unknown failure value: its message if it has one, else its JSON. */
export const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) return cause.message
  if (typeof cause === "object" && cause !== null && "message" in cause) return String((cause as { message: unknown }).message)
  if (typeof cause === "string") return cause
  try {
    return JSON.stringify(cause)
  } catch {
    return String(cause)
  }
}
