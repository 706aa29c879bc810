/** `ganflow push <remote>`: upload every local entry and run record the remote lacks (objects first, manifests last). */
import { Effect } from "effect"
import { formatBytes, storeDirOf, openLocalStore } from "@ganflow/core"
import { openRemote, pushStore } from "@ganflow/remote"
import type { RemoteArguments } from "../remote-arguments.ts"

/** Push the local store to a remote and say what travelled. */
export const pushCommand = (root: string, args: Extract<RemoteArguments, { command: "push" }>) =>
  Effect.gen(function* () {
    // the remote first: a bad setup fails before the local store is touched
    const remote = yield* openRemote(root, args.remote)
    const store = openLocalStore(storeDirOf({ root, storeDir: args.store }))
    const r = yield* pushStore(store, remote)
    for (const line of r.skipped) process.stderr.write(`ganflow: ${line}; not pushed\n`)
    process.stdout.write(
      `ganflow push ${remote.name}: ${r.entries} entries (${r.objects} objects, ${formatBytes(r.bytes)}), ${r.runs} run records uploaded; ${r.alreadyThere} entries were there already\n`,
    )
  })
