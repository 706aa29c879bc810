/** Command-line parsing for `ganflow <command> [pipeline] [options]`. */
import { parseArgs } from "node:util"
import { type ParamOverride, parseAssignment } from "@ganflow/core"

/** Parsed command line. */
export interface Arguments {
  readonly command: string
  readonly positionals: ReadonlyArray<string>
  /** `--set stage.path=value`, parsed (JSON when it parses, else a string), in command-line order. */
  readonly set: ReadonlyArray<ParamOverride>
  /** A JSON file of deep-partial stage params (applied before `set`). */
  readonly paramsFile: string | undefined
  readonly profile: string | undefined
  readonly jobs: number | undefined
  /** Stages that compute on the GPU at once (`--gpus`); default 1 on a GPU backend, else no limit. */
  readonly gpus: number | undefined
  readonly only: ReadonlyArray<string>
  readonly watch: boolean
  readonly store: string | undefined
  readonly json: boolean
  readonly ipc: boolean
  readonly keepLatest: boolean
  /** `diff`: list every param, metric and stage output, not only those that differ. */
  readonly all: boolean
  /** `gc --keep-checkpoints N|best|all|auto` (default auto). */
  readonly keepCheckpoints: string | undefined
  /** `gc --older-than 30d`: drop run records older than that, and entries only they used. */
  readonly olderThan: string | undefined
  /** `verify --fix`: remove what is corrupt so the next run recomputes it. */
  readonly fix: boolean
  /** Print stack traces of internal errors. */
  readonly verbose: boolean
  readonly help: boolean
  /** Tensor backend for the stages (`--backend`, else $GANFLOW_BACKEND): auto, native, wasm, cpu, webgpu, tfjs-node… */
  readonly backend: string | undefined
  /** Compute threads for wasm/native (`--threads`, else $GANFLOW_THREADS). */
  readonly threads: number | undefined
  /** Where ready stages run: `local` (this process, the default) or `slurm` (a batch job each). */
  readonly executor: "local" | "slurm"
  /** Slurm placement and per-job resources (`--partition`, `--account`, `--qos`, `--time`, `--mem`, `--cpus`). */
  readonly slurm: {
    readonly partition?: string
    readonly account?: string
    readonly qos?: string
    readonly time?: string
    readonly memory?: string
    readonly cpus?: number
  }
  /** `exec-stage`: the stage to run, the driver's cache key for it, and the file of the driver's key record. */
  readonly stage: string | undefined
  readonly key: string | undefined
  readonly record: string | undefined
  /** `run`/`status --remote <name>`: the remote cache (ganflow.json) looked up after the local store. */
  readonly remote: string | undefined
  /** `run --pull-all`: download every remote hit, not only what the run needs. */
  readonly pullAll: boolean
  /** `sweep --grid stage.param=v1,v2` (every combination), `--zip` (taken together), as given. */
  readonly grid: ReadonlyArray<string>
  readonly zip: ReadonlyArray<string>
  /** `sweep --seeds 0..2` (or `0,3,7`): the seed axis. */
  readonly seeds: string | undefined
  /** `sweep --seed-param train.seed`: where the seed axis goes (default: the training stages' seed; `all`: every stage's). */
  readonly seedParam: ReadonlyArray<string>
  /** `sweep --file sweeps/x.json`: the sweep definition as a file. */
  readonly file: string | undefined
  /** `sweep`/`sweep-report --sort fid` (`fid:final`): the metric the table is sorted by, best first. */
  readonly sort: string | undefined
  /** `sweep`/`sweep-report --csv`: print the table as CSV. */
  readonly csv: boolean
}

/** Usage text. */
export const usage = `ganflow — GAN workflows as cached pipelines

  ganflow run <pipeline> [--set stage.param=value]... [--params file.json] [--profile name] [--jobs n]
                         [--gpus n] [--only a,b] [--watch] [--remote name [--pull-all]]
  ganflow run <pipeline> --executor slurm [--partition p] [--account a] [--qos q] [--time t] [--mem m]
                         [--cpus n] [--jobs n]      each stage that must run is a Slurm job (see README)
  ganflow exec-stage <pipeline> --stage s --key k [--record file] [--set ...] [--store dir]
                                                                    run one stage on a cluster node (what a job runs)
  ganflow status <pipeline> [--set ...] [--profile name] [--json] [--remote name]   what would rerun, and why
  ganflow runs [pipeline]                                           list run records
  ganflow diff <runA> <runB> [--all]                                what differs: params, metrics, outputs
  ganflow report <run>                                              write the run's HTML report
  ganflow gc [--keep-latest] [--keep-checkpoints N|best|all|auto] [--older-than 30d]
                                                                    remove what nothing references, prune checkpoints
  ganflow verify [--fix]                                            re-hash the whole store; --fix removes what is corrupt
  ganflow list                                                      pipelines of this workspace
  ganflow sweep <pipeline> [--grid s.p=v1,v2]... [--zip s.p=v1,v2]... [--seeds 0..2] [--seed-param s.p]
                [--file sweeps/x.json] [--sort fid[:final]] [--jobs n] [--executor slurm …] [--json | --csv]
                                                                    run every variant; table of mean ± std over seeds
  ganflow sweeps [pipeline]                                         list sweep records
  ganflow sweep-report <sweep> [--sort fid] [--json | --csv]        the table again, and the sweep's HTML report

  --set s.p=value    set param p of stage s (nested: s.a.b=value); the value is JSON when it parses, else a string
  --params <file>    JSON object of stage params, merged in: { "train": { "steps": 1200 } } or { "train.steps": 1200 }
                     (applied after --profile, before --set; watched in --watch mode)
  --store <dir>      store folder (default <workspace>/.ganflow, or $GANFLOW_STORE)
  --backend <name>   tensor backend of the stages: auto (default: fastest available), native, wasm, cpu,
                     webgpu, tfjs-node, tfjs-node-gpu (or $GANFLOW_BACKEND); recorded in each stage's run record
  --threads <n>      compute threads for native/wasm (default: every core; or $GANFLOW_THREADS)
  --gpus <n>         tensor stages (train, metrics, samples) on the GPU at once (default 1 on webgpu or
                     tfjs-node-gpu; CPU-only stages such as data and renders run beside them)
                     webgpu on a software adapter (SwiftShader, for tests) only with GANFLOW_WEBGPU_SOFTWARE=1
  --remote <name>    also look stages up in that remote cache (ganflow.json): hits are downloaded only when the
                     run needs their files (results, inputs of stages that run), computed entries uploaded
  --pull-all         with --remote: download every remote hit
  --verbose          print stack traces of internal errors

  exit codes: 0 ok; 1 a stage failed, or verify found problems; 2 bad input (usage, pipeline, params, input
  files or data, unknown or corrupt run record); 3 the store cannot be written (read-only, full, permissions);
  70 internal error (a bug: --verbose shows the stack); 130 interrupted (Ctrl-C, SIGTERM)
`

/** Parse argv (without node and script); throws a TypeError with a readable message on bad options. */
export const parseArguments = (argv: ReadonlyArray<string>): Arguments => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      set: { type: "string", multiple: true, short: "s" },
      params: { type: "string" },
      profile: { type: "string" },
      jobs: { type: "string", short: "j" },
      gpus: { type: "string" },
      only: { type: "string", multiple: true },
      watch: { type: "boolean", short: "w" },
      store: { type: "string" },
      json: { type: "boolean" },
      ipc: { type: "boolean" },
      "keep-latest": { type: "boolean" },
      all: { type: "boolean" },
      "keep-checkpoints": { type: "string" },
      "older-than": { type: "string" },
      fix: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
      backend: { type: "string" },
      threads: { type: "string" },
      executor: { type: "string" },
      partition: { type: "string" },
      account: { type: "string" },
      qos: { type: "string" },
      time: { type: "string" },
      mem: { type: "string" },
      cpus: { type: "string" },
      stage: { type: "string" },
      key: { type: "string" },
      record: { type: "string" },
      remote: { type: "string" },
      "pull-all": { type: "boolean" },
      grid: { type: "string", multiple: true },
      zip: { type: "string", multiple: true },
      seeds: { type: "string" },
      "seed-param": { type: "string", multiple: true },
      file: { type: "string" },
      sort: { type: "string" },
      csv: { type: "boolean" },
    },
  })
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs)
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new TypeError(`--jobs must be a positive integer (was ${values.jobs})`)
  const gpus = values.gpus === undefined ? undefined : Number(values.gpus)
  if (gpus !== undefined && (!Number.isInteger(gpus) || gpus < 1)) throw new TypeError(`--gpus must be a positive integer (was ${values.gpus})`)
  // the environment's defaults are read here, at the edge, once; stages get the backend as a service
  const threadsText = values.threads ?? process.env["GANFLOW_THREADS"]
  const threads = threadsText === undefined ? undefined : Number(threadsText)
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new TypeError(`--threads must be a positive integer (was ${threadsText})`)
  const backend = values.backend ?? process.env["GANFLOW_BACKEND"]
  const backends = ["auto", "native", "wasm", "cpu", "webgpu", "tfjs-node", "tfjs-node-gpu"]
  if (backend !== undefined && !backends.includes(backend)) throw new TypeError(`--backend must be one of ${backends.join(", ")} (was ${backend})`)
  const executor = values.executor ?? "local"
  if (executor !== "local" && executor !== "slurm") throw new TypeError(`--executor must be local or slurm (was ${executor})`)
  const slurmOptions = ["partition", "account", "qos", "time", "mem", "cpus"] as const
  const strayOption = slurmOptions.find((option) => values[option] !== undefined)
  if (executor !== "slurm" && strayOption !== undefined) throw new TypeError(`--${strayOption} is a Slurm option: add --executor slurm`)
  const cpus = values.cpus === undefined ? undefined : Number(values.cpus)
  if (cpus !== undefined && (!Number.isInteger(cpus) || cpus < 1)) throw new TypeError(`--cpus must be a positive integer (was ${values.cpus})`)
  if (values.mem !== undefined && !/^\d+[KMGT]?$/.test(values.mem)) throw new TypeError(`--mem must be Slurm's notation: megabytes, or a K/M/G/T suffix (was ${values.mem})`)
  if (values.time !== undefined && !/^(\d+-)?\d+(:\d{1,2}){0,2}$/.test(values.time)) throw new TypeError(`--time must be Slurm's notation: 30 (minutes), 1:30:00, 2-00:00:00 (was ${values.time})`)
  if (values.key !== undefined && !/^[0-9a-f]{64}$/.test(values.key)) throw new TypeError(`--key must be a cache key (64 hex digits; was ${values.key})`)
  const command = positionals[0] ?? "help"
  if (values.remote !== undefined && command !== "run" && command !== "status") throw new TypeError(`--remote applies to run, status and gc (was given to ${command})`)
  if (values["pull-all"] === true && (command !== "run" || values.remote === undefined)) throw new TypeError("--pull-all applies to run --remote <name>")
  const sweepOption = (["grid", "zip", "seeds", "seed-param", "file"] as const).find((o) => values[o] !== undefined)
  if (sweepOption !== undefined && command !== "sweep") throw new TypeError(`--${sweepOption} applies to ganflow sweep (was given to ${command})`)
  if ((values.sort !== undefined || values.csv === true) && command !== "sweep" && command !== "sweep-report") throw new TypeError(`--${values.sort !== undefined ? "sort" : "csv"} applies to sweep and sweep-report`)
  if (values.csv === true && values.json === true) throw new TypeError("--csv and --json: choose one")
  return {
    command,
    positionals: positionals.slice(1),
    set: (values.set ?? []).map((text) => {
      const parsed = parseAssignment(text)
      if (typeof parsed === "string") throw new TypeError(parsed)
      return parsed
    }),
    paramsFile: values.params,
    profile: values.profile,
    jobs,
    gpus,
    only: (values.only ?? []).flatMap((s) => s.split(",")).filter((s) => s !== ""),
    watch: values.watch ?? false,
    store: values.store ?? process.env["GANFLOW_STORE"],
    json: values.json ?? false,
    ipc: values.ipc ?? false,
    keepLatest: values["keep-latest"] ?? false,
    all: values.all ?? false,
    keepCheckpoints: values["keep-checkpoints"],
    olderThan: values["older-than"],
    fix: values.fix ?? false,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
    backend,
    threads,
    executor,
    slurm: {
      ...(values.partition === undefined ? {} : { partition: values.partition }),
      ...(values.account === undefined ? {} : { account: values.account }),
      ...(values.qos === undefined ? {} : { qos: values.qos }),
      ...(values.time === undefined ? {} : { time: values.time }),
      ...(values.mem === undefined ? {} : { memory: values.mem }),
      ...(cpus === undefined ? {} : { cpus }),
    },
    stage: values.stage,
    key: values.key,
    record: values.record,
    remote: values.remote,
    pullAll: values["pull-all"] ?? false,
    grid: values.grid ?? [],
    zip: values.zip ?? [],
    seeds: values.seeds,
    seedParam: values["seed-param"] ?? [],
    file: values.file,
    sort: values.sort,
    csv: values.csv ?? false,
  }
}
