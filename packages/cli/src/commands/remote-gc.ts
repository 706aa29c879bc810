/** `ganflow gc --remote <name>`: remove from a remote what no entry can use (see @ganflow/remote remote-gc.ts). */
import { Effect } from "effect"
import { formatBytes } from "@ganflow/core"
import { collectRemoteGarbage, openRemote, remoteGcGraceMs } from "@ganflow/remote"
import type { RemoteArguments } from "../remote-arguments.ts"

/** Collect a remote's garbage and say what was removed. */
export const remoteGcCommand = (root: string, args: Extract<RemoteArguments, { command: "remote-gc" }>) =>
  Effect.gen(function* () {
    const remote = yield* openRemote(root, args.remote)
    const graceMs = args.graceHours === undefined ? remoteGcGraceMs : args.graceHours * 3_600_000
    const r = yield* collectRemoteGarbage(remote, { graceMs })
    process.stdout.write(
      `ganflow gc --remote ${remote.name}: removed ${r.removedObjects} objects (${formatBytes(r.freedBytes)}), ${r.removedManifests} broken entries, ${r.removedUploads} abandoned uploads; ${r.keptEntries} entries kept\n`,
    )
  })
