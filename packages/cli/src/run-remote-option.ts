/**
 * `--remote <name>` of `ganflow run` and `ganflow status`: the configured remote, opened and probed before the
 * pipeline is loaded or the store touched, so an unknown name, an unreachable endpoint or refused credentials
 * exit 2 naming the remote with nothing written. @ganflow/remote (and the AWS SDK) load only when it is given.
 */
import { Effect } from "effect"
import type { RunRemoteOptions } from "@ganflow/core"
import type { OpenRemoteError } from "@ganflow/remote"
import type { Arguments } from "./arguments.ts"

/** The run's remote cache from `--remote` / `--pull-all`, or undefined without `--remote`. */
export const runRemoteOf = (root: string, args: Arguments): Effect.Effect<RunRemoteOptions | undefined, OpenRemoteError> => {
  const name = args.remote
  if (name === undefined) return Effect.succeed(undefined)
  return Effect.promise(() => import("@ganflow/remote")).pipe(
    Effect.flatMap(({ openRemote }) => openRemote(root, name)),
    Effect.map((store) => ({ store, pullAll: args.pullAll })),
  )
}
