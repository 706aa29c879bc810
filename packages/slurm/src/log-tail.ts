/** The last lines of a job's log, for error messages. */
import { open } from "node:fs/promises"
import { Effect } from "effect"

/** At most this many bytes are read from the end of a log. */
const tailBytes = 64 * 1024

/**
 * The last `lines` lines of the file at `path` (empty when it does not exist or cannot be read: a job that
 * never started has no log, and that must not hide why it ended).
 */
export const logTail = (path: string, lines = 20): Effect.Effect<ReadonlyArray<string>> =>
  Effect.promise(async () => {
    try {
      const file = await open(path, "r")
      try {
        const { size } = await file.stat()
        const start = Math.max(0, size - tailBytes)
        const buffer = Buffer.alloc(size - start)
        await file.read(buffer, 0, buffer.length, start)
        const text = buffer.toString("utf8").replace(/\n$/, "")
        const all = text.length === 0 ? [] : text.split("\n")
        return (start > 0 ? all.slice(1) : all).slice(-lines)
      } finally {
        await file.close()
      }
    } catch {
      return []
    }
  })
