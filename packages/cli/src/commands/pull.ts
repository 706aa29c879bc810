/**
 * `ganflow pull <remote> [run]`: download a run's record and the entries its stages used, or (without a run)
 * every entry and run record on the remote. Each object is verified; an entry that does not verify is
 * reported and not committed, and the command exits 1.
 */
import { Effect } from "effect"
import { formatBytes, storeDirOf, openLocalStore } from "@ganflow/core"
import { openRemote, pullStore } from "@ganflow/remote"
import type { RemoteArguments } from "../remote-arguments.ts"

/** An entry that could not be pulled (the others were). */
export class PullIncomplete extends Error {
  readonly _tag = "PullIncomplete"
  constructor(readonly failures: ReadonlyArray<string>) {
    super(`${failures.length} entries could not be pulled:\n  ${failures.join("\n  ")}`)
  }
}

/** Pull from a remote into the local store and say what travelled. */
export const pullCommand = (root: string, args: Extract<RemoteArguments, { command: "pull" }>) =>
  Effect.gen(function* () {
    const remote = yield* openRemote(root, args.remote)
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const r = yield* pullStore(store, remote, args.run)
    process.stdout.write(`ganflow pull ${remote.name}: ${r.entries} entries (${r.objects} objects, ${formatBytes(r.bytes)}), ${r.runs} run records downloaded\n`)
    if (r.failed.length > 0) return yield* Effect.fail(new PullIncomplete(r.failed))
  })
