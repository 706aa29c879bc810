/**
 * `ganflow gc`: remove what nothing references (never what a live run holds), prune resume checkpoints
 * (`--keep-checkpoints`, default auto: the last and those a recorded metric refers to), and with `--older-than`
 * forget old runs; `--keep-latest` keeps only what each pipeline's latest run used.
 */
import { Effect } from "effect"
import { collectGarbage, parseAge, parseCheckpointRetention, storeDirOf, openLocalStore, trySync, instancesOf } from "@ganflow/core"
import type { Arguments } from "../arguments.ts"

/** Collect garbage and say what was removed. */
export const gcCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const keepCheckpoints = args.keepCheckpoints === undefined ? "auto" : yield* trySync(() => parseCheckpointRetention(args.keepCheckpoints!), instancesOf(TypeError))
    const olderThanMs = args.olderThan === undefined ? undefined : yield* trySync(() => parseAge(args.olderThan!), instancesOf(TypeError))
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const r = collectGarbage(store, { keepLatestOnly: args.keepLatest, keepCheckpoints, olderThanMs })
    const parts = [
      `removed ${r.removedObjects} objects (${(r.freedBytes / 1e6).toFixed(1)} MB)`,
      `${r.removedManifests} cache entries`,
      `${r.removedCheckpoints} checkpoints`,
      ...(olderThanMs !== undefined ? [`${r.removedRuns} run records`] : []),
      `${r.removedTemps} temp folders of dead runs`,
    ]
    process.stdout.write(`ganflow gc: ${parts.join(", ")}${r.protectedKeys > 0 ? `; left alone ${r.protectedKeys} keys held by live runs` : ""}\n`)
  })
