/**
 * Where remotes are configured: `ganflow.json` at the workspace root, committed with the code, so every
 * clone, CI job and cluster node of a lab finds the same cache by name (`--remote lab`) without setup:
 *
 * ```json
 * { "remotes": { "lab": { "url": "s3://gan-cache/ganflow", "endpoint": "http://minio.lab:9000" } },
 *   "slurm": { "partition": "gpu", "account": "gan-lab", "time": "4:00:00", "mem": "32G" } }
 * ```
 * `slurm` holds the defaults of `run --executor slurm` (the command line's options override them).
 * It holds no secrets and has no field for any: S3 credentials come from each user's AWS chain. URLs carrying
 * credentials are refused. Unknown keys are errors, so a typo is reported rather than ignored.
 */
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { type } from "arktype"
import { Effect } from "effect"
import { RemoteConfigInvalid, RemoteUnknown, writeFileAtomic } from "@ganflow/core"
import { checkEndpoint, parseRemoteUrl } from "./remote-url.ts"

/** The config file's name, at the workspace root. */
export const configFileName = "ganflow.json"

/** One remote's settings. */
export const RemoteSettings = type({
  "+": "reject",
  /** `s3://bucket/prefix` or `file:///shared/folder`. */
  url: "string",
  /** S3 endpoint of a non-AWS service (MinIO, Ceph RGW, R2); requests are then path-style. */
  "endpoint?": "string",
  /** S3 region; default from AWS_REGION / ~/.aws/config, or us-east-1 with an endpoint. */
  "region?": "string",
})
/** One remote's settings. */
export type RemoteSettings = typeof RemoteSettings.infer

/** Defaults of `ganflow run --executor slurm`, by the command line's option names. */
export const SlurmDefaults = type({
  "+": "reject",
  "partition?": "string > 0",
  "account?": "string > 0",
  "qos?": "string > 0",
  /** Slurm's notation: `30` (minutes), `1:30:00`, `2-00:00:00` */
  "time?": /^(\d+-)?\d+(:\d{1,2}){0,2}$/,
  /** Slurm's notation: megabytes, or a K/M/G/T suffix */
  "mem?": /^\d+[KMGT]?$/,
  "cpus?": "number.integer >= 1",
})
/** Defaults of `ganflow run --executor slurm`. */
export type SlurmDefaults = typeof SlurmDefaults.infer

/** The config file. */
const ConfigFile = type({ "+": "reject", "remotes?": type.Record("string", RemoteSettings), "slurm?": SlurmDefaults })
type ConfigFile = typeof ConfigFile.infer

/** Remote names: what `--remote` and `push`/`pull` take. */
const namePattern = /^[A-Za-z0-9][\w-]{0,62}$/

/** Path of the config file of the workspace at `root`. */
export const configPath = (root: string): string => join(root, configFileName)

const readConfig = (root: string): Effect.Effect<ConfigFile, RemoteConfigInvalid> =>
  Effect.gen(function* () {
    const path = configPath(root)
    if (!existsSync(path)) return {}
    const json = yield* Effect.try({
      try: () => JSON.parse(readFileSync(path, "utf8")) as unknown,
      catch: (e) => new RemoteConfigInvalid({ where: path, problem: `not valid JSON (${(e as Error).message})` }),
    })
    const out = ConfigFile(json)
    if (out instanceof type.errors) return yield* new RemoteConfigInvalid({ where: path, problem: out.summary })
    for (const [name, settings] of Object.entries(out.remotes ?? {})) yield* checkSettings(name, settings, `${path} remotes.${name}`)
    return out
  })

/** The `slurm` defaults of the workspace's config file (none when it has none). */
export const readSlurmDefaults = (root: string): Effect.Effect<SlurmDefaults, RemoteConfigInvalid> =>
  readConfig(root).pipe(Effect.map((c) => c.slurm ?? {}))

/** Check a remote's name, URL and options (fails with RemoteConfigInvalid naming `where`). */
export const checkSettings = (name: string, settings: RemoteSettings, where: string): Effect.Effect<void, RemoteConfigInvalid> =>
  Effect.gen(function* () {
    if (!namePattern.test(name)) return yield* new RemoteConfigInvalid({ where, problem: `remote name "${name}" must be letters, digits, _ and - (starting with a letter or digit)` })
    const location = yield* parseRemoteUrl(settings.url, where)
    if (location.kind === "file" && (settings.endpoint !== undefined || settings.region !== undefined)) {
      return yield* new RemoteConfigInvalid({ where, problem: "endpoint and region apply to s3:// remotes only" })
    }
    if (settings.endpoint !== undefined) yield* checkEndpoint(settings.endpoint, where)
  })

/** Every configured remote, by name. */
export const readRemotes = (root: string): Effect.Effect<Readonly<Record<string, RemoteSettings>>, RemoteConfigInvalid> =>
  readConfig(root).pipe(Effect.map((c) => c.remotes ?? {}))

/** The settings of the remote `name`; fails with RemoteUnknown listing the configured ones. */
export const remoteSettings = (root: string, name: string): Effect.Effect<RemoteSettings, RemoteConfigInvalid | RemoteUnknown> =>
  Effect.gen(function* () {
    const remotes = yield* readRemotes(root)
    const settings = Object.hasOwn(remotes, name) ? remotes[name] : undefined
    if (settings === undefined) return yield* new RemoteUnknown({ remote: name, configFile: configPath(root), known: Object.keys(remotes) })
    return settings
  })

/**
 * Add the remote `name`: validated first (a name already there is an error: remove it first), then `check`ed
 * (say, opened once), then written; a failure anywhere leaves the config as it was.
 */
export const addRemote = <E = never>(
  root: string,
  name: string,
  settings: RemoteSettings,
  check: (settings: RemoteSettings) => Effect.Effect<unknown, E> = () => Effect.void,
): Effect.Effect<void, RemoteConfigInvalid | E> =>
  Effect.gen(function* () {
    const config = yield* readConfig(root)
    const where = `remote ${name}`
    const clean: RemoteSettings = { url: settings.url, ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint.replace(/\/+$/, "") } : {}), ...(settings.region !== undefined ? { region: settings.region } : {}) }
    yield* checkSettings(name, clean, where)
    if (config.remotes !== undefined && Object.hasOwn(config.remotes, name)) {
      return yield* new RemoteConfigInvalid({ where, problem: `already configured in ${configPath(root)} (as ${config.remotes[name]!.url}); \`ganflow remote remove ${name}\` first` })
    }
    yield* check(clean)
    yield* writeConfig(root, { ...config, remotes: { ...config.remotes, [name]: clean } })
  })

/** Remove the remote `name` from the config (the remote's contents are untouched). */
export const removeRemote = (root: string, name: string): Effect.Effect<void, RemoteConfigInvalid | RemoteUnknown> =>
  Effect.gen(function* () {
    const config = yield* readConfig(root)
    yield* remoteSettings(root, name)
    const { [name]: _removed, ...rest } = config.remotes ?? {}
    yield* writeConfig(root, { ...config, remotes: rest })
  })

const writeConfig = (root: string, config: ConfigFile) =>
  Effect.try({
    try: () => writeFileAtomic(configPath(root), `${JSON.stringify(config, null, 2)}\n`),
    catch: (e) => new RemoteConfigInvalid({ where: configPath(root), problem: `cannot be written: ${(e as Error).message}` }),
  })
