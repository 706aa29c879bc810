/**
 * The demo page's script: TF.js (core, layers, the WebGL and CPU backends), the custom layers of
 * `@ganflow/models` and the page code, bundled by esbuild into one classic script (IIFE) that works from file://.
 * Bundles are cached under `node_modules/.cache/ganflow/web-demo/` by content: a cached bundle is reused only
 * while every file that went into it still has the same sha256.
 */
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { demoPageModule } from "./browser/demo-page.ts"
import { WebDemoBundleFailed } from "./errors.ts"

/** A built (or cached) bundle. */
export interface DemoBundle {
  /** Absolute path of the bundle in the cache (copy it; do not edit it). */
  readonly path: string
  readonly bytes: number
  /** True when the cached bundle was reused. */
  readonly cached: boolean
}

/** A page script to bundle: the URL of the page module (what it reports as its own module URL) and the start function it exports. */
export interface DemoPageEntry {
  readonly module: string
  readonly start: string
}

/** The generator demo's page (samples, sliders, interpolation). */
export const latentDemoPage: DemoPageEntry = { module: demoPageModule, start: "startDemoFromPage" }

const cacheFormat = 1
/** The bundle's entry: register both backends (WebGL is preferred; the CPU one is the fallback), start the page. */
const entrySourceOf = (pageFile: string, start: string) => [
  `import "@tensorflow/tfjs-backend-cpu"`,
  `import "@tensorflow/tfjs-backend-webgl"`,
  `import { ${start} } from ${JSON.stringify(pageFile)}`,
  `${start}()`,
  ``,
].join("\n")
/** The define key for import.meta.url, spelled so that the CLI bundler (which rewrites that text to the source URL) leaves it alone. */
const importMetaUrl = ["import", "meta", "url"].join(".")
const buildOptions = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: true,
  define: { [importMetaUrl]: '""', "process.env.NODE_ENV": '"production"' },
  logLevel: "silent",
} as const

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")

/** `<workspace>/node_modules/.cache/ganflow/web-demo`, found from where esbuild is installed. */
const cacheDir = (): string => {
  const esbuildEntry = createRequire(import.meta.url).resolve("esbuild")
  const marker = `${sep}node_modules${sep}`
  return join(esbuildEntry.slice(0, esbuildEntry.lastIndexOf(marker) + marker.length - 1), ".cache", "ganflow", "web-demo")
}

interface CacheRecord {
  readonly inputs: ReadonlyArray<readonly [path: string, sha256: string]>
  readonly output: string
}

const cachedBundle = (recordPath: string, bundlePath: string): DemoBundle | undefined => {
  try {
    const record = JSON.parse(readFileSync(recordPath, "utf8")) as CacheRecord
    if (!record.inputs.every(([p, digest]) => existsSync(p) && sha256(readFileSync(p)) === digest)) return undefined
    const bundle = readFileSync(bundlePath)
    return sha256(bundle) === record.output ? { path: bundlePath, bytes: bundle.length, cached: true } : undefined
  } catch {
    return undefined // no bundle yet, or a damaged record: build
  }
}

/**
 * Returns the bundle of a demo page (default: the generator demo's), building it with esbuild unless the cache
 * holds one whose inputs are unchanged. Fails with {@link WebDemoBundleFailed} (esbuild's messages in `reason`).
 */
export const buildDemoBundle = async (page: DemoPageEntry = latentDemoPage): Promise<DemoBundle> => {
  const esbuild = await import("esbuild")
  const pageFile = fileURLToPath(page.module)
  const entrySource = entrySourceOf(pageFile, page.start)
  const dir = cacheDir()
  const id = sha256(JSON.stringify([cacheFormat, esbuild.version, entrySource, buildOptions])).slice(0, 24)
  const bundlePath = join(dir, `demo-${id}.js`)
  const recordPath = join(dir, `demo-${id}.inputs.json`)
  const cached = cachedBundle(recordPath, bundlePath)
  if (cached !== undefined) return cached

  const workingDir = dirname(pageFile)
  let result: Awaited<ReturnType<typeof esbuild.build<{ write: false; metafile: true }>>>
  try {
    result = await esbuild.build({
      ...buildOptions,
      target: [...buildOptions.target],
      stdin: { contents: entrySource, resolveDir: workingDir, sourcefile: "<ganflow-demo-entry>", loader: "ts" },
      absWorkingDir: workingDir,
      write: false,
      metafile: true,
    })
  } catch (e) {
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors
    const reason = errors?.map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text)).join("; ") ?? String(e)
    throw new WebDemoBundleFailed({ entry: pageFile, reason })
  }
  const code = result.outputFiles[0]!.contents
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith("<") && !p.startsWith("(disabled):")) // <stdin>, modules esbuild stubbed out
    .map((p) => resolve(workingDir, p))
    .map((p) => [p, sha256(readFileSync(p))] as const)
  mkdirSync(dir, { recursive: true })
  const tmp = `.tmp-${process.pid}-${Date.now()}`
  writeFileSync(bundlePath + tmp, code)
  renameSync(bundlePath + tmp, bundlePath)
  writeFileSync(recordPath + tmp, JSON.stringify({ inputs, output: sha256(code) } satisfies CacheRecord))
  renameSync(recordPath + tmp, recordPath)
  return { path: bundlePath, bytes: code.length, cached: false }
}
