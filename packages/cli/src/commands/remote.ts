/**
 * `ganflow remote add|list|remove`: the remotes of `ganflow.json`. `add` validates the URL and options, and
 * (unless `--no-check`) opens the remote once, so a typo in a bucket, endpoint or path is caught now, not in
 * the middle of a run; on any failure the config is left as it was.
 */
import { Effect } from "effect"
import { addRemote, configPath, openRemoteWith, readRemotes, removeRemote, type RemoteSettings } from "@ganflow/remote"
import type { RemoteArguments } from "../remote-arguments.ts"

/** Run a `remote` subcommand. */
export const remoteCommand = (root: string, args: Extract<RemoteArguments, { command: "remote-add" | "remote-list" | "remote-remove" }>) =>
  Effect.gen(function* () {
    switch (args.command) {
      case "remote-add": {
        const settings: RemoteSettings = { url: args.url, ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}), ...(args.region !== undefined ? { region: args.region } : {}) }
        yield* addRemote(root, args.name, settings, (checked) => (args.check ? openRemoteWith(args.name, checked) : Effect.void))
        process.stdout.write(`ganflow: added remote ${args.name} (${args.url}) to ${configPath(root)}${args.check ? "; it answered" : ""}\n`)
        return
      }
      case "remote-list": {
        const remotes = yield* readRemotes(root)
        const names = Object.keys(remotes).sort()
        if (names.length === 0) {
          process.stdout.write(`no remotes in ${configPath(root)} (add one with \`ganflow remote add <name> <url>\`)\n`)
          return
        }
        for (const name of names) {
          const r = remotes[name]!
          const extra = [r.endpoint !== undefined ? `endpoint ${r.endpoint}` : "", r.region !== undefined ? `region ${r.region}` : ""].filter((s) => s !== "")
          process.stdout.write(`${name.padEnd(12)} ${r.url}${extra.length > 0 ? `  (${extra.join(", ")})` : ""}\n`)
        }
        return
      }
      case "remote-remove":
        yield* removeRemote(root, args.name)
        process.stdout.write(`ganflow: removed remote ${args.name} from ${configPath(root)} (its contents are untouched)\n`)
    }
  })
