/**
 * A stage: one typed step of a pipeline. It has a name, a code version, an arktype params schema, declared
 * input slots (upstream stage outputs, files, folders), declared outputs, resource needs and an Effect that
 * produces its outputs. `defineStage` records the module that calls it, whose code (and what it imports)
 * becomes part of the stage's cache key.
 */
import type { Effect } from "effect"
import { fileURLToPath } from "node:url"
import type { Json } from "./canonical-json.ts"
import type { ParamsSchema } from "./params.ts"
import type { Checkpoints } from "./checkpoints.ts"

/** A slot that receives another stage's outputs. `V` is the JSON value that stage returns. */
export interface UpstreamSlot<V = Json> {
  readonly kind: "upstream"
  readonly optional: boolean
  readonly _value?: V
}
/** A slot that receives one file. */
export interface FileSlot {
  readonly kind: "file"
  readonly optional: boolean
}
/** A slot that receives a folder (all non-hidden files under it, recursively). */
export interface FolderSlot {
  readonly kind: "folder"
  readonly optional: boolean
}
/** Any input slot. */
export type InputSlot = UpstreamSlot<any> | FileSlot | FolderSlot

/** Declare a slot for an upstream stage's outputs. */
export const upstream = <V = Json>(options: { optional?: boolean } = {}): UpstreamSlot<V> => ({
  kind: "upstream",
  optional: options.optional ?? false,
})
/** Declare a file input slot. */
export const fileInput = (options: { optional?: boolean } = {}): FileSlot => ({ kind: "file", optional: options.optional ?? false })
/** Declare a folder input slot. */
export const folderInput = (options: { optional?: boolean } = {}): FolderSlot => ({
  kind: "folder",
  optional: options.optional ?? false,
})

/** What a stage receives from an upstream stage: its output folder (read-only), file list and returned value. */
export interface UpstreamOutput<V = Json> {
  readonly stage: string
  readonly dir: string
  readonly files: ReadonlyArray<string>
  readonly value: V
  readonly digest: string
  /** Absolute path of an output file, by its path relative to the upstream's output folder. */
  readonly path: (relativePath: string) => string
}
/** What a stage receives for a file input. */
export interface FileInput {
  readonly path: string
  readonly digest: string
}
/** What a stage receives for a folder input. */
export interface FolderInput {
  readonly path: string
  readonly digest: string
  /** Relative paths of the files under the folder, sorted. */
  readonly files: ReadonlyArray<string>
}

type Resolve<S> =
  S extends UpstreamSlot<infer V> ? UpstreamOutput<V> : S extends FileSlot ? FileInput : S extends FolderSlot ? FolderInput : never

/** The inputs a stage's run receives, by slot; optional slots may be undefined. */
export type ResolvedInputs<S extends Record<string, InputSlot>> = {
  readonly [K in keyof S]: S[K]["optional"] extends true ? Resolve<S[K]> | undefined : Resolve<S[K]>
}

/** A progress report from a long stage. */
export interface ProgressUpdate {
  readonly step: number
  readonly total?: number
  /** Short text shown after the bar, e.g. `d=0.61 g=2.3`. */
  readonly message?: string
}

/** Everything a stage's run gets. */
export interface StageContext<P, S extends Record<string, InputSlot>> {
  /** The stage instance's name in its pipeline. */
  readonly stage: string
  readonly pipeline: string
  readonly workspaceRoot: string
  readonly params: P
  readonly inputs: ResolvedInputs<S>
  /** An empty folder to write outputs into; it is moved into the store when the run succeeds. */
  readonly outDir: string
  /** Where the files of `outDir` will be once the run succeeds (for messages that point users at outputs). */
  readonly finalDir: string
  /** Report progress (shown as a bar in a terminal, as plain lines otherwise). */
  readonly progress: (update: ProgressUpdate) => void
  /** Print a line attributed to this stage. */
  readonly log: (line: string) => void
  /** Record a metric (kept in the manifest and the run record). */
  readonly metric: (name: string, value: number, step?: number) => void
  /** Record facts about the environment the stage ran in (backend, versions, threads); stored as JSON. */
  readonly env: (facts: Readonly<Record<string, unknown>>) => void
  /** Checkpoints kept in the store, keyed without the params named in `resumeOmits`. */
  readonly checkpoints: Checkpoints
}

/** Resource needs; stages that need a GPU share one semaphore. */
export interface Resources {
  readonly gpu?: number
}

/** The options of `defineStage`. */
export interface StageOptions<P, S extends Record<string, InputSlot>, V> {
  /** Stage kind name, e.g. `train-dcgan`. Part of the cache key. */
  readonly name: string
  /** Bump to invalidate every cached output of this stage by hand. Part of the cache key. */
  readonly version?: number | string
  readonly description?: string
  /** arktype schema of the params; defaults are filled, unknown keys rejected. */
  readonly params: ParamsSchema<P>
  readonly inputs?: S
  /** Output paths (files or folders) relative to `outDir` that must exist after a run. */
  readonly outputs?: ReadonlyArray<string>
  readonly resources?: Resources
  /** Params left out of the checkpoint key (e.g. `steps`, so raising it continues training). */
  readonly resumeOmits?: ReadonlyArray<string>
  /** The module that defines the stage (defaults to the caller of `defineStage`). */
  readonly module?: string
  readonly run: (ctx: StageContext<P, S>) => Effect.Effect<V, unknown, never>
}

/** A stage definition, ready to be placed in pipelines with `.as(name, config)`. */
export interface StageDefinition<P = any, S extends Record<string, InputSlot> = any, V = any> {
  readonly _tag: "StageDefinition"
  readonly name: string
  readonly version: number | string
  readonly description: string | undefined
  readonly params: ParamsSchema<P>
  readonly inputs: S
  readonly outputs: ReadonlyArray<string>
  readonly resources: Resources
  readonly resumeOmits: ReadonlyArray<string>
  /** Absolute path of the defining module. */
  readonly module: string
  readonly run: (ctx: StageContext<P, S>) => Effect.Effect<V, unknown, never>
  /** Place this stage in a pipeline under `name`. */
  readonly as: (name: string, config?: InstanceConfig<P, S>) => StageInstance
}

/** Where an input slot's data comes from: an upstream instance name, a file, a folder, or nothing (optional). */
export type InputBinding = string | { readonly kind: "file"; readonly path: string } | { readonly kind: "folder"; readonly path: string } | null

/** Bind an input slot to a file (relative to the workspace root or absolute). */
export const file = (path: string): InputBinding => ({ kind: "file", path })
/** Bind an input slot to a folder (relative to the workspace root or absolute). */
export const folder = (path: string): InputBinding => ({ kind: "folder", path })

/**
 * Bind an optional folder slot to the folder a stage's `dir` param names, or to nothing when `dir` is empty (the
 * stage then uses its built-in data): `inputs: { images: folderFromDir }`, so `--set data.dir=<folder>` switches.
 */
export const folderFromDir = (params: { readonly dir: string }): InputBinding => (params.dir === "" ? null : folder(params.dir))

type DeepPartial<T> = T extends ReadonlyArray<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T

/** How a stage is configured inside a pipeline. Bindings may depend on the validated params. */
export interface InstanceConfig<P, S> {
  readonly params?: DeepPartial<P>
  readonly inputs?: { readonly [K in keyof S]?: InputBinding | ((params: P) => InputBinding) }
  readonly resources?: Resources
}

/** A stage placed in a pipeline. */
export interface StageInstance {
  readonly _tag: "StageInstance"
  readonly name: string
  readonly definition: StageDefinition
  readonly config: InstanceConfig<any, any>
}

/** Define a stage. */
export const defineStage = <P, S extends Record<string, InputSlot> = {}, V = Json>(
  options: StageOptions<P, S, V>,
): StageDefinition<P, S, V> => {
  const definition: StageDefinition<P, S, V> = {
    _tag: "StageDefinition",
    name: options.name,
    version: options.version ?? 1,
    description: options.description,
    params: options.params,
    inputs: options.inputs ?? ({} as S),
    outputs: options.outputs ?? [],
    resources: options.resources ?? {},
    resumeOmits: options.resumeOmits ?? [],
    module: options.module !== undefined ? toPath(options.module) : callerModule(),
    run: options.run,
    as: (name, config = {}) => ({ _tag: "StageInstance", name, definition: definition as StageDefinition, config }),
  }
  return definition
}

const toPath = (moduleOrUrl: string): string => (moduleOrUrl.startsWith("file:") ? fileURLToPath(moduleOrUrl) : moduleOrUrl)

/**
 * The file of the function that called `defineStage`. When the CLI runs a bundled pipeline, each workspace
 * module announces itself in `globalThis.__ganflowModule` before its body runs; otherwise the stack trace
 * (source paths, as tsx and vitest load TypeScript) tells.
 */
const callerModule = (): string => {
  const announced = (globalThis as { __ganflowModule?: string }).__ganflowModule
  if (announced !== undefined) return announced
  const holder: { stack?: string } = {}
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 4
  Error.captureStackTrace(holder, defineStage)
  Error.stackTraceLimit = limit
  const line = holder.stack?.split("\n")[1] ?? ""
  const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line)
  if (m === null) throw new Error(`defineStage: cannot tell which module defines this stage; pass module: import.meta.url`)
  return toPath(m[1]!)
}
