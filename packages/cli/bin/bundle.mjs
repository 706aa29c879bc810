// Bundling for fast starts. Loading TypeScript through tsx's loader hooks costs a cross-thread round trip per
// module, and effect alone has hundreds; so the launcher bundles the CLI, the pipeline and the workspace
// modules they import (plus effect and arktype, which tree-shake well) into one ESM file with esbuild, and
// caches it by the stat of every input. Other packages stay external and load natively from node_modules.
// Each workspace module is prefixed with `globalThis.__ganflowModule = "<its path>"` so `defineStage` knows
// its defining module, and `import.meta.url` keeps meaning the source file.
// The bundle is CommonJS when it can be (no top-level await, every external package loadable by `require`), so
// the launcher can compile it with V8's code cache (see loadBundle); otherwise an ES module.
import { createHash, randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative, sep } from "node:path"
import { pathToFileURL } from "node:url"
import vm from "node:vm"

const inlinePackages = [/^effect($|\/)/, /^arktype($|\/)/, /^@ark\//, /^arkregex($|\/)/, /^fast-check($|\/)/, /^@ganflow\//]
const format = 7

/** Whether package `spec` is installed where `importer` would look for it. */
const resolvable = (spec, importer) => {
  try {
    createRequire(importer).resolve(spec)
    return true
  } catch (e) {
    return e.code !== "MODULE_NOT_FOUND"
  }
}

/** Whether `require` can load package `spec` imported from `importer` (false for ES-module-only packages). */
const requireable = (spec, importer) => {
  try {
    const file = createRequire(importer).resolve(spec)
    if (file.endsWith(".mjs")) return false
    if (file.endsWith(".cjs") || !file.endsWith(".js")) return true
    for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
      const pkg = join(dir, "package.json")
      if (existsSync(pkg)) return JSON.parse(readFileSync(pkg, "utf8")).type !== "module"
    }
    return true
  } catch {
    return false
  }
}

/**
 * The cached bundle for `entrySource` (a module text importing what to run), rebuilt when an input changed:
 * `{ path, format: "cjs" | "esm" }`.
 */
export const bundleFor = async (root, name, entrySource) => {
  const dir = join(root, "node_modules", ".cache", "ganflow", "bundles")
  const id = createHash("sha256").update(`${format}\0${entrySource}`).digest("hex").slice(0, 16)
  const base = join(dir, `${name}-${id}`)
  const metaPath = `${base}.inputs.json`
  let previousCache
  try {
    const meta = JSON.parse(readFileSync(metaPath, "utf8"))
    const bundle = { path: `${base}.${meta.format === "cjs" ? "cjs" : "mjs"}`, format: meta.format, build: meta.build }
    previousCache = codeCachePath(bundle)
    if (meta.inputs.every(([p, size, mtime]) => {
      const s = statSync(p)
      return s.size === size && s.mtimeMs === mtime
    })) return bundle
  } catch {
    // no bundle yet, or an input is gone: build
  }
  const esbuild = await import("esbuild")
  mkdirSync(dir, { recursive: true })
  const entryPath = join(dir, `${name}-${id}.entry.mjs`)
  writeFileSync(entryPath, entrySource)
  let result
  let bundleFormat = "cjs"
  const tmp = `${base}.tmp-${process.pid}`
  try {
    result = await esbuild.build(buildOptions(entryPath, tmp, "cjs"))
  } catch {
    // top-level await, or an ES-module-only package: an ES module bundle
    bundleFormat = "esm"
    result = await esbuild.build(buildOptions(entryPath, tmp, "esm"))
  }
  const out = `${base}.${bundleFormat === "cjs" ? "cjs" : "mjs"}`
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => join(process.cwd(), p))
    .filter((p) => !p.startsWith(dir))
    .map((p) => {
      const s = statSync(p)
      return [p, s.size, s.mtimeMs]
    })
  renameSync(tmp, out)
  try {
    renameSync(`${tmp}.map`, `${out}.map`)
  } catch {
    // no map
  }
  // a code cache names its bundle's build, so a process still running an older build never leaves its cache for this one
  const build = randomBytes(6).toString("hex")
  writeFileSync(`${metaPath}.tmp-${process.pid}`, JSON.stringify({ format: bundleFormat, build, inputs }))
  renameSync(`${metaPath}.tmp-${process.pid}`, metaPath)
  if (previousCache !== undefined) rmSync(previousCache, { force: true })
  return { path: out, format: bundleFormat, build }
}

const codeCachePath = ({ path, build }) => `${path}.${build}.v8cache`

/**
 * Runs a bundle made by bundleFor. A CommonJS bundle is compiled with V8's code cache (`<bundle>.v8cache`,
 * written after the first run, so it holds the functions that run compiled too): Node 20 has no compile cache
 * for ES modules, and compiling the ~1 MB of effect, arktype and ganflow code is a large part of a no-op run.
 */
export const loadBundle = async (bundle) => {
  const { path, format: bundleFormat } = bundle
  if (bundleFormat !== "cjs") return import(pathToFileURL(path).href)
  const cachePath = codeCachePath(bundle)
  let cachedData
  try {
    cachedData = readFileSync(cachePath)
  } catch {
    // first run of this bundle
  }
  const source = readFileSync(path, "utf8")
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    cachedData,
  })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once("exit", () => {
      try {
        writeFileSync(`${cachePath}.tmp-${process.pid}`, script.createCachedData())
        renameSync(`${cachePath}.tmp-${process.pid}`, cachePath)
      } catch {
        // the cache is an optimisation
      }
    })
  }
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(path), module, path, dirname(path))
  return module.exports
}

const nodeModules = `${sep}node_modules${sep}`

const buildOptions = (entryPath, outfile, bundleFormat) => ({
    entryPoints: [entryPath],
    outfile,
    bundle: true,
    platform: "node",
    format: bundleFormat,
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    // CommonJS: import() becomes require() — functions compiled from V8's code cache lose the dynamic import
    // callback in Node 20 ("A dynamic import callback was not specified"), so none may remain
    ...(bundleFormat === "cjs" ? { supported: { "dynamic-import": false } } : {}),
    ...(bundleFormat === "esm" ? { banner: { js: `import { createRequire as __ganflowRequire } from "node:module"; const require = __ganflowRequire(import.meta.url);` } } : {}),
    plugins: [
      {
        name: "ganflow-externals",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:")) return { external: true }
            // dynamically imported packages stay lazy: bundling them would hoist their own imports to the top;
            // workspace packages are TypeScript that Node cannot load, so those are bundled (evaluated lazily)
            const esmOnly = () =>
              bundleFormat === "cjs" && resolvable(args.path, args.importer) && !requireable(args.path, args.importer)
                ? { errors: [{ text: `${args.path} is an ES module only package: not loadable from a CommonJS bundle` }] }
                : undefined
            if (args.kind === "dynamic-import" && !args.path.startsWith("@ganflow/")) return esmOnly() ?? { external: true }
            if (inlinePackages.some((re) => re.test(args.path))) return undefined
            return esmOnly() ?? { external: true }
          })
          build.onLoad({ filter: /\.(ts|mts|tsx)$/ }, (args) => {
            if (args.path.includes(nodeModules)) return undefined
            const source = readFileSync(args.path, "utf8")
            const url = JSON.stringify(pathToFileURL(args.path).href)
            return {
              contents: `globalThis.__ganflowModule = ${JSON.stringify(args.path)};\n${source.replaceAll("import.meta.url", url)}`,
              loader: args.path.endsWith("x") ? "tsx" : "ts",
            }
          })
        },
      },
    ],
})

export const relativeTo = (from, to) => relative(from, to).split(sep).join("/")
export { dirname }
