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

/** A slot that receives another stage's outputs. `V` is what the slot needs from that stage's returned value. */
export interface UpstreamSlot<V = unknown> {
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

/**
 * Declare a slot for an upstream stage's outputs. `V` is the shape the consumer reads from the upstream's value;
 * a pipeline can only bind a stage whose returned value is assignable to it (checked by `tsc`).
 */
export const upstream = <V = unknown>(options: { optional?: boolean } = {}): UpstreamSlot<V> => ({
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
export interface UpstreamOutput<V = unknown> {
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

/**
 * The values a stage's run is a function of: its params, its resolved inputs and the folder to write outputs to.
 * What a stage does besides computing (progress, logs, metrics, checkpoints, tensors) it asks of services:
 * {@link StageEvents}, {@link StageCheckpoints} and, for tensor stages, `TensorBackend` from `@ganflow/backend`.
 */
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
}

/** Resource needs; stages that need a GPU share one semaphore. */
export interface Resources {
  readonly gpu?: number
}

/** The options of `defineStage`. */
export interface StageOptions<P, S extends Record<string, InputSlot>, V, E, R> {
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
  /**
   * Further attempts when a run fails for a reason that is not the stage's (a Slurm node failed, the job was
   * preempted), with exponential backoff; a code error is never retried. In-process runs have no such failures.
   */
  readonly retries?: number
  /** Params left out of the checkpoint key (e.g. `steps`, so raising it continues training). */
  readonly resumeOmits?: ReadonlyArray<string>
  /** The module that defines the stage (defaults to the caller of `defineStage`). */
  readonly module?: string
  /**
   * The stage's work. It fails with its own typed errors `E` (shown by their message when the stage fails) and
   * requires services `R`, which the runner provides: `StageEvents`, `StageCheckpoints`, and whatever the run was
   * given (the CLI gives `TensorBackend`).
   */
  readonly run: (ctx: StageContext<P, S>) => Effect.Effect<V, E, R>
}

/** A stage definition, ready to be placed in pipelines with `.as(name, config)`. */
export interface StageDefinition<P = any, S extends Record<string, InputSlot> = any, V = any, E = any, R = any> {
  readonly _tag: "StageDefinition"
  readonly name: string
  readonly version: number | string
  readonly description: string | undefined
  readonly params: ParamsSchema<P>
  readonly inputs: S
  readonly outputs: ReadonlyArray<string>
  readonly resources: Resources
  readonly retries: number
  readonly resumeOmits: ReadonlyArray<string>
  /** Absolute path of the defining module. */
  readonly module: string
  readonly run: (ctx: StageContext<P, S>) => Effect.Effect<V, E, R>
  /** Place this stage in a pipeline under `name`; the handle it returns is what downstream stages bind to. */
  readonly as: (name: string, config?: InstanceConfig<P, S>) => StageHandle<V, R>
}

/** A file or folder binding of an input slot (paths relative to the workspace root or absolute). */
export interface PathBinding<K extends "file" | "folder" = "file" | "folder"> {
  readonly kind: K
  readonly path: string
}

/** Where an input slot's data comes from, as the engine sees it: a stage handle, a file, a folder, or nothing. */
export type InputBinding = StageInstance | PathBinding | null

/** Bind an input slot to a file (relative to the workspace root or absolute). */
export const file = (path: string): PathBinding<"file"> => ({ kind: "file", path })
/** Bind an input slot to a folder (relative to the workspace root or absolute). */
export const folder = (path: string): PathBinding<"folder"> => ({ kind: "folder", path })

/**
 * Bind an optional folder slot to the folder a stage's `dir` param names, or to nothing when `dir` is empty (the
 * stage then uses its built-in data): `inputs: { images: folderFromDir }`, so `--set data.dir=<folder>` switches.
 */
export const folderFromDir = (params: { readonly dir: string }): PathBinding<"folder"> | null => (params.dir === "" ? null : folder(params.dir))

type DeepPartial<T> = T extends ReadonlyArray<unknown> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T

/**
 * What may be bound to a slot: an upstream slot takes the handle of a stage whose value fits the slot's type; a
 * file or folder slot takes `file(...)`/`folder(...)` or a function of the validated params returning one;
 * `null` leaves an optional slot empty.
 */
export type SlotBinding<S, P> =
  | (S extends UpstreamSlot<infer V> ? StageHandle<V, any> : S extends FileSlot ? PathBinding<"file"> | ((params: P) => PathBinding<"file"> | null) : S extends FolderSlot ? PathBinding<"folder"> | ((params: P) => PathBinding<"folder"> | null) : never)
  | (S extends { readonly optional: true } ? null : never)

/** How a stage is configured inside a pipeline. File and folder bindings may depend on the validated params. */
export interface InstanceConfig<P, S> {
  readonly params?: DeepPartial<P>
  readonly inputs?: { readonly [K in keyof S]?: SlotBinding<S[K], P> }
  readonly resources?: Resources
  /** Overrides the definition's `retries` for this instance. */
  readonly retries?: number
}

/** A stage placed in a pipeline, with its types erased (what the engine works with). */
export interface StageInstance {
  readonly _tag: "StageInstance"
  readonly name: string
  readonly definition: StageDefinition
  readonly config: InstanceConfig<any, any>
}

/**
 * A typed handle to a stage placed in a pipeline: `V` is the value it returns, `R` the services it requires. Pass
 * it as a downstream stage's input; a stage whose value does not fit the slot fails the typecheck.
 */
export interface StageHandle<out V = unknown, out R = unknown> extends StageInstance {
  /** Type-level only: the value this stage returns. */
  readonly _value?: V
  /** Type-level only: the services this stage requires. */
  readonly _requires?: R
}

/** Whether a binding is a stage handle. */
export const isStageHandle = (binding: unknown): binding is StageInstance =>
  typeof binding === "object" && binding !== null && (binding as { _tag?: unknown })._tag === "StageInstance"

/** Define a stage. */
export const defineStage = <P, S extends Record<string, InputSlot> = {}, V = Json, E = never, R = never>(
  options: StageOptions<P, S, V, E, R>,
): StageDefinition<P, S, V, E, R> => {
  const definition: StageDefinition<P, S, V, E, R> = {
    _tag: "StageDefinition",
    name: options.name,
    version: options.version ?? 1,
    description: options.description,
    params: options.params,
    inputs: options.inputs ?? ({} as S),
    outputs: options.outputs ?? [],
    resources: options.resources ?? {},
    retries: options.retries ?? 0,
    resumeOmits: options.resumeOmits ?? [],
    module: options.module !== undefined ? toPath(options.module) : callerModule(),
    run: options.run,
    as: (name, config = {}) => ({ _tag: "StageInstance", name, definition: definition as StageDefinition, config: config as InstanceConfig<any, any> }),
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
