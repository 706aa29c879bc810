/** Find and import a pipeline by name (`pipelines/src/<name>.ts`) or by path. */
import { Effect } from "effect"
import { existsSync, readdirSync } from "node:fs"
import { isAbsolute, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { isPipeline, PipelineNotFound, type PipelineDefinition } from "@ganflow/core"

/** The pipeline files of a workspace: `pipelines/src/*.ts` (tests excluded), by name. */
export const listPipelineFiles = (root: string): Map<string, string> => {
  const dir = join(root, "pipelines", "src")
  const out = new Map<string, string>()
  try {
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts")) out.set(f.slice(0, -3), join(dir, f))
    }
  } catch {
    // no pipelines folder
  }
  return out
}

/** Resolve `nameOrPath` to a pipeline file. */
export const pipelineFile = (root: string, nameOrPath: string): string | undefined => {
  if (nameOrPath.endsWith(".ts") || nameOrPath.includes("/")) {
    const p = isAbsolute(nameOrPath) ? nameOrPath : resolve(process.cwd(), nameOrPath)
    return existsSync(p) ? p : undefined
  }
  return listPipelineFiles(root).get(nameOrPath)
}

/** A pipeline the launcher imported already (bundled with the CLI). */
export interface PreloadedPipeline {
  readonly file: string
  readonly definition: unknown
}
let preloaded: PreloadedPipeline | undefined

/** Register the pipeline the launcher bundled, so `loadPipeline` does not import it again. */
export const preloadPipeline = (p: PreloadedPipeline): void => {
  preloaded = p
}

/** Import the pipeline `nameOrPath`; fails with PipelineNotFound naming what is known. */
export const loadPipeline = (root: string, nameOrPath: string): Effect.Effect<{ definition: PipelineDefinition; file: string }, PipelineNotFound> =>
  Effect.gen(function* () {
    const file = pipelineFile(root, nameOrPath)
    if (file === undefined) {
      const known = [...listPipelineFiles(root).keys()]
      return yield* Effect.fail(new PipelineNotFound({ name: nameOrPath, reason: `no such pipeline (known: ${known.join(", ") || "none"})` }))
    }
    if (preloaded !== undefined && preloaded.file === file) {
      if (!isPipeline(preloaded.definition)) {
        return yield* Effect.fail(new PipelineNotFound({ name: nameOrPath, reason: `${file} has no default export made with pipeline(...)` }))
      }
      return { definition: preloaded.definition, file }
    }
    const mod = yield* Effect.tryPromise({
      try: () => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>,
      catch: (e) => new PipelineNotFound({ name: nameOrPath, reason: `${file} failed to load: ${(e as Error).stack ?? String(e)}` }),
    })
    const definition = mod["default"]
    if (!isPipeline(definition)) {
      return yield* Effect.fail(new PipelineNotFound({ name: nameOrPath, reason: `${file} has no default export made with pipeline(...)` }))
    }
    return { definition, file }
  })
