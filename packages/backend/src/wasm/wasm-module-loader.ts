/**
 * Loads the Emscripten module of `@tensorflow/tfjs-backend-wasm` so that it can train under Node:
 * with real threads (the shipped loader turns them off in Node, because its pthread worker comes from a `blob:` URL
 * that `worker_threads` cannot load, and caps the pool at logical cores / 2).
 *
 * What this does instead: the pthread worker script is written once to a content-named file in the temp folder;
 * workers load the factory from its file in `wasm-out/` rather than from a Blob; the module is told the core count
 * that makes the requested pool size pass the cores/2 cap; the process-wide `uncaughtException` /
 * `unhandledRejection` handlers Emscripten installs are removed again; its prints go to stderr.
 */
import { createHash } from "node:crypto"
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import path from "node:path"

const require = createRequire(import.meta.url)

/** The Emscripten module with the C entry points tfjs' `BackendWasm` calls (`module.tfjs`). */
export interface WasmModule {
  readonly HEAPU8: Uint8Array
  readonly wasmMemory?: WebAssembly.Memory
  readonly PThread?: { readonly runningWorkers: Array<{ unref(): void }>; readonly unusedWorkers: Array<{ unref(): void }> }
  cwrap(name: string, returnType: string | null, argTypes: ReadonlyArray<string>): (...args: Array<unknown>) => unknown
  tfjs?: Record<string, (...args: Array<unknown>) => unknown>
}

const wasmOutFile = (name: string): string =>
  require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${name}`)

/**
 * Writes the pthread worker script (shipped as a string) to `<tmpdir>/ganflow-tfjs-wasm-worker-<sha>.cjs` and
 * returns its path. The name is the content's digest, so concurrent processes write identical bytes; the write goes
 * to a unique temporary name first and is renamed into place.
 */
const pthreadWorkerFile = (): string => {
  const { wasmWorkerContents } = require(wasmOutFile("tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string
  }
  // The shipped string holds "\n" escapes that a template literal turned into real newlines inside JS strings;
  // tfjs escapes them again before making its Blob, and so do we.
  const source = wasmWorkerContents.replace(/\n/g, "\\n")
  const digest = createHash("sha256").update(source).digest("hex").slice(0, 16)
  const file = path.join(tmpdir(), `ganflow-tfjs-wasm-worker-${digest}.cjs`)
  if (!existsSync(file)) {
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
    writeFileSync(temporary, source)
    renameSync(temporary, file)
  }
  return file
}

const listenersOf = () => ({
  uncaught: process.listeners("uncaughtException"),
  rejection: process.listeners("unhandledRejection"),
})

/**
 * Instantiates the threaded SIMD wasm module for a pool of `threads` threads (the caller passes the same count to
 * `init_with_threads_count`, which `BackendWasm` does with the value given to `setThreadsCount`).
 */
export const loadThreadedWasmModule = async (threads: number): Promise<WasmModule> => {
  const factoryFile = wasmOutFile("tfjs-backend-wasm-threaded-simd.js")
  const binary = readFileSync(path.join(path.dirname(factoryFile), "tfjs-backend-wasm-threaded-simd.wasm"))
  const factory = require(factoryFile) as (config: object) => Promise<WasmModule>
  const workerFile = pthreadWorkerFile()
  const before = listenersOf()
  const toStderr = (text: string) => void process.stderr.write(`${text}\n`)
  const module = await factory({
    locateFile: (file: string, prefix: string) =>
      file.endsWith(".worker.js") ? workerFile : prefix + file,
    // Workers `importScripts` this path: the factory from its own file, not a Blob Node workers cannot read.
    mainScriptUrlOrBlob: factoryFile,
    instantiateWasm: (
      imports: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      // tfjs caps its pool at min(requested, logical cores / 2); report enough cores for the request to stand.
      imports.env["emscripten_num_logical_cores"] = () => 2 * threads
      void WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then((result) =>
        receive(result.instance, result.module),
      )
      return {}
    },
    print: toStderr,
    printErr: toStderr,
  })
  const after = listenersOf()
  for (const listener of after.uncaught) {
    if (!before.uncaught.includes(listener)) process.removeListener("uncaughtException", listener)
  }
  for (const listener of after.rejection) {
    if (!before.rejection.includes(listener)) process.removeListener("unhandledRejection", listener)
  }
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  }
  return module
}

/**
 * Lets the process exit while pthread workers idle: Emscripten `ref()`s a worker while it runs a pthread, and the
 * XNNPACK pool's threads never return, so without this a finished script would hang.
 */
export const unrefPthreadWorkers = (module: WasmModule): void => {
  for (const worker of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) {
    worker.unref()
  }
}
