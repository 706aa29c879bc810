/** The remote-cache commands by name (loaded on demand by main.ts). */
import type { Effect } from "effect"
import type { RemoteArguments } from "../remote-arguments.ts"
import { pullCommand } from "./pull.ts"
import { pushCommand } from "./push.ts"
import { remoteCommand } from "./remote.ts"
import { remoteGcCommand } from "./remote-gc.ts"

/** Run one remote-cache command. */
export const runRemoteCommand = (root: string, args: RemoteArguments): Effect.Effect<unknown, unknown> => {
  switch (args.command) {
    case "push":
      return pushCommand(root, args)
    case "pull":
      return pullCommand(root, args)
    case "remote-gc":
      return remoteGcCommand(root, args)
    default:
      return remoteCommand(root, args)
  }
}
