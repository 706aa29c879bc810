/**
 * Command-line parsing for the remote-cache commands: `ganflow remote add|list|remove`, `ganflow push`,
 * `ganflow pull` and `ganflow gc --remote`. Kept apart from `arguments.ts` (the pipeline commands) because
 * they share no options with it.
 */
import { parseArgs } from "node:util"

/** A parsed remote-cache command. */
export type RemoteArguments =
  | { readonly command: "remote-add"; readonly name: string; readonly url: string; readonly endpoint: string | undefined; readonly region: string | undefined; readonly check: boolean }
  | { readonly command: "remote-list" }
  | { readonly command: "remote-remove"; readonly name: string }
  | { readonly command: "push"; readonly remote: string; readonly store: string | undefined }
  | { readonly command: "pull"; readonly remote: string; readonly run: string | undefined; readonly store: string | undefined }
  | { readonly command: "remote-gc"; readonly remote: string; readonly graceHours: number | undefined }

/** Usage text of these commands (appended to the main usage). */
export const remoteUsage = `
remote cache (a lab's shared cache; see README "Remote cache"):
  ganflow remote add <name> <url> [--endpoint <http(s)://host:port>] [--region <region>] [--no-check]
                     url: s3://bucket/prefix or file:///shared/folder; saved in ganflow.json (commit it)
  ganflow remote list                                               configured remotes
  ganflow remote remove <name>                                      forget a remote (its contents stay)
  ganflow push <remote> [--store dir]                               upload local entries and run records
  ganflow pull <remote> [run] [--store dir]                         download a run's entries (or everything)
  ganflow gc --remote <name> [--grace-hours 1]                      remove what no remote entry uses
  S3 credentials come from the AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, roles)
`

/** Whether argv is one of these commands (then {@link parseRemoteArguments} parses it). */
export const isRemoteCommand = (argv: ReadonlyArray<string>): boolean => {
  // lenient: only to find the command word, so option values (`--store dir`) are not taken for it
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options: remoteOptions })
  const first = positionals[0]
  return first === "remote" || first === "push" || first === "pull" || (first === "gc" && values.remote !== undefined)
}

/** The options of these commands. */
const remoteOptions = {
  endpoint: { type: "string" },
  region: { type: "string" },
  "no-check": { type: "boolean" },
  store: { type: "string" },
  remote: { type: "string" },
  "grace-hours": { type: "string" },
  verbose: { type: "boolean", short: "v" },
} as const

/** Parse argv (without node and script); throws a TypeError with a readable message on bad usage. */
export const parseRemoteArguments = (argv: ReadonlyArray<string>): RemoteArguments => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: remoteOptions,
  })
  const [command, ...rest] = positionals
  const expect = (count: number, shape: string) => {
    if (rest.length < count || rest.length > count) throw new TypeError(`usage: ganflow ${shape}`)
  }
  const only = (allowed: ReadonlyArray<string>, shape: string) => {
    const given = Object.keys(values).filter((k) => k !== "verbose" && !allowed.includes(k))
    if (given.length > 0) throw new TypeError(`--${given[0]} does not apply here; usage: ganflow ${shape}`)
  }
  const store = values.store ?? process.env["GANFLOW_STORE"]
  switch (command) {
    case "remote": {
      const [sub, ...args] = rest
      if (sub === "add") {
        only(["endpoint", "region", "no-check"], "remote add <name> <url> [--endpoint url] [--region r] [--no-check]")
        if (args.length !== 2) throw new TypeError("usage: ganflow remote add <name> <url> [--endpoint url] [--region r] [--no-check]")
        return { command: "remote-add", name: args[0]!, url: args[1]!, endpoint: values.endpoint, region: values.region, check: values["no-check"] !== true }
      }
      if (sub === "list" || sub === undefined) {
        only([], "remote list")
        if (args.length > 0) throw new TypeError("usage: ganflow remote list")
        return { command: "remote-list" }
      }
      if (sub === "remove" || sub === "rm") {
        only([], "remote remove <name>")
        if (args.length !== 1) throw new TypeError("usage: ganflow remote remove <name>")
        return { command: "remote-remove", name: args[0]! }
      }
      throw new TypeError(`unknown remote command "${sub}" (add, list, remove)`)
    }
    case "push":
      only(["store"], "push <remote> [--store dir]")
      expect(1, "push <remote> [--store dir]")
      return { command: "push", remote: rest[0]!, store }
    case "pull":
      only(["store"], "pull <remote> [run] [--store dir]")
      if (rest.length < 1 || rest.length > 2) throw new TypeError("usage: ganflow pull <remote> [run] [--store dir]")
      return { command: "pull", remote: rest[0]!, run: rest[1], store }
    case "gc": {
      only(["remote", "grace-hours"], "gc --remote <name> [--grace-hours 1]")
      expect(0, "gc --remote <name> [--grace-hours 1]")
      const graceHours = values["grace-hours"] === undefined ? undefined : Number(values["grace-hours"])
      if (graceHours !== undefined && !(graceHours >= 0)) throw new TypeError(`--grace-hours must be a number of hours >= 0 (was ${values["grace-hours"]})`)
      return { command: "remote-gc", remote: values.remote!, graceHours }
    }
    default:
      throw new TypeError(`not a remote-cache command: ${command}`)
  }
}
