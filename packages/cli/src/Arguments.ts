/** Command-line parsing for `ganflow <command> [pipeline] [options]`. */
import { parseArgs } from "node:util"

/** Parsed command line. */
export interface Arguments {
  readonly command: string
  readonly positionals: ReadonlyArray<string>
  readonly set: ReadonlyArray<string>
  /** A JSON file of `stage.param` overrides (applied before `set`). */
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
  readonly help: boolean
  /** Tensor backend for the stages (sets GANFLOW_BACKEND): auto, native, wasm, cpu, webgpu, tfjs-node… */
  readonly backend: string | undefined
  /** Compute threads for wasm/native (sets GANFLOW_THREADS). */
  readonly threads: number | undefined
}

/** Usage text. */
export const usage = `ganflow — GAN workflows as cached pipelines

  ganflow run <pipeline> [--set stage.param=value]... [--params file.json] [--profile name] [--jobs n]
                         [--gpus n] [--only a,b] [--watch]
  ganflow status <pipeline> [--set ...] [--profile name] [--json]   what would rerun, and why
  ganflow runs [pipeline]                                           list run records
  ganflow diff <runA> <runB>                                        params and metrics side by side
  ganflow report <run>                                              write the run's HTML report
  ganflow gc [--keep-latest]                                        remove unreferenced store objects
  ganflow list                                                      pipelines of this workspace

  --params <file>    JSON object of "stage.param": value overrides (watched in --watch mode)
  --store <dir>      store folder (default <workspace>/.ganflow, or $GANFLOW_STORE)
  --backend <name>   tensor backend of the stages: auto (default: fastest available), native, wasm, cpu,
                     webgpu, tfjs-node, tfjs-node-gpu (or $GANFLOW_BACKEND); recorded in each stage's run record
  --threads <n>      compute threads for native/wasm (default: every core; or $GANFLOW_THREADS)
  --gpus <n>         tensor stages (train, metrics, samples) on the GPU at once (default 1 on webgpu or
                     tfjs-node-gpu; CPU-only stages such as data and renders run beside them)
                     webgpu on a software adapter (SwiftShader, for tests) only with GANFLOW_WEBGPU_SOFTWARE=1
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
      help: { type: "boolean", short: "h" },
      backend: { type: "string" },
      threads: { type: "string" },
    },
  })
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs)
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new TypeError(`--jobs must be a positive integer (was ${values.jobs})`)
  const gpus = values.gpus === undefined ? undefined : Number(values.gpus)
  if (gpus !== undefined && (!Number.isInteger(gpus) || gpus < 1)) throw new TypeError(`--gpus must be a positive integer (was ${values.gpus})`)
  const threads = values.threads === undefined ? undefined : Number(values.threads)
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new TypeError(`--threads must be a positive integer (was ${values.threads})`)
  const backends = ["auto", "native", "wasm", "cpu", "webgpu", "tfjs-node", "tfjs-node-gpu"]
  if (values.backend !== undefined && !backends.includes(values.backend)) throw new TypeError(`--backend must be one of ${backends.join(", ")} (was ${values.backend})`)
  return {
    command: positionals[0] ?? "help",
    positionals: positionals.slice(1),
    set: values.set ?? [],
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
    help: values.help ?? false,
    backend: values.backend,
    threads,
  }
}
