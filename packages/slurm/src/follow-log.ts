/** A job's log as a stream of lines, read as the job writes them. */
import { open } from "node:fs/promises"
import { StringDecoder } from "node:string_decoder"
import { Chunk, Duration, Effect, Option, Stream } from "effect"

/** Bytes appended to `path` from `offset` on (none when the file does not exist yet: the job has not started). */
const readFrom = (path: string, offset: number) =>
  Effect.promise(async () => {
    try {
      const file = await open(path, "r")
      try {
        const { size } = await file.stat()
        if (size <= offset) return Buffer.alloc(0)
        const buffer = Buffer.alloc(size - offset)
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset)
        return buffer.subarray(0, bytesRead)
      } finally {
        await file.close()
      }
    } catch {
      return Buffer.alloc(0)
    }
  })

/**
 * The lines of the file at `path` as they are appended (without their newline), polling every `pollInterval`
 * (default 200 ms). The stream ends once `finished` answers true and everything written before that answer
 * has been emitted, the last line even without its newline; interrupt it to stop earlier.
 */
export const followLog = <E, R>(
  path: string,
  finished: Effect.Effect<boolean, E, R>,
  options: { readonly pollInterval?: Duration.DurationInput } = {},
): Stream.Stream<string, E, R> =>
  Stream.suspend(() => {
    const pollInterval = Duration.decode(options.pollInterval ?? "200 millis")
    const decoder = new StringDecoder("utf8")
    let offset = 0
    let partial = ""
    let done = false
    const nextLines: Effect.Effect<Chunk.Chunk<string>, Option.Option<E>, R> = Effect.gen(function* () {
      for (;;) {
        if (done) return yield* Effect.fail(Option.none())
        // asked before reading, so the read that follows a `true` sees every byte written before it
        const finishedNow = yield* Effect.mapError(finished, Option.some)
        const bytes = yield* readFrom(path, offset)
        offset += bytes.length
        const lines = (partial + decoder.write(bytes)).split("\n")
        partial = lines.pop() ?? ""
        if (finishedNow) {
          done = true
          const rest = partial + decoder.end()
          if (rest.length > 0) lines.push(rest)
        }
        if (lines.length > 0) return Chunk.fromIterable(lines)
        if (!done) yield* Effect.sleep(pollInterval)
      }
    })
    return Stream.repeatEffectChunkOption(nextLines)
  })
