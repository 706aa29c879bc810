// Bundling for fast starts. Loading TypeScript through tsx's loader hooks costs a cross-thread round trip per
// module, and effect alone has hundreds; so the launcher bundles the CLI, the pipeline and the workspace
// modules they import (plus effect and arktype, which tree-shake well) into one ESM file with esbuild, and
// caches it by the stat of every input. Other packages stay external and load natively from node_modules.
// Each workspace module is prefixed with `globalThis.__ganflowModule = "<its path>"` so `defineStage` knows
// its defining module, and `import.meta.url` keeps meaning the source file.
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, sep } from "node:path"
import { pathToFileURL } from "node:url"

const inlinePackages = [/^effect($|\/)/, /^arktype($|\/)/, /^@ark\//, /^arkregex($|\/)/, /^fast-check($|\/)/, /^@ganflow\//]
const format = 5

/** The cached bundle for `entrySource` (a module text importing what to run), rebuilt when an input changed. */
export const bundleFor = async (root, name, entrySource) => {
  const dir = join(root, "node_modules", ".cache", "ganflow", "bundles")
  const id = createHash("sha256").update(`${format}\0${entrySource}`).digest("hex").slice(0, 16)
  const out = join(dir, `${name}-${id}.mjs`)
  const metaPath = `${out}.inputs.json`
  try {
    const inputs = JSON.parse(readFileSync(metaPath, "utf8"))
    if (inputs.every(([p, size, mtime]) => {
      const s = statSync(p)
      return s.size === size && s.mtimeMs === mtime
    })) return out
  } catch {
    // no bundle yet, or an input is gone: build
  }
  const esbuild = await import("esbuild")
  mkdirSync(dir, { recursive: true })
  const entryPath = join(dir, `${name}-${id}.entry.mjs`)
  writeFileSync(entryPath, entrySource)
  const nodeModules = `${sep}node_modules${sep}`
  const result = await esbuild.build({
    entryPoints: [entryPath],
    outfile: `${out}.tmp-${process.pid}`,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    logLevel: "silent",
    banner: { js: `import { createRequire as __ganflowRequire } from "node:module"; const require = __ganflowRequire(import.meta.url);` },
    plugins: [
      {
        name: "ganflow-externals",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:")) return { external: true }
            // dynamically imported packages stay lazy: bundling them would hoist their own imports to the top;
            // workspace packages are TypeScript that Node cannot load, so those are bundled (evaluated lazily)
            if (args.kind === "dynamic-import" && !args.path.startsWith("@ganflow/")) return { external: true }
            if (inlinePackages.some((re) => re.test(args.path))) return undefined
            return { external: true }
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
  const inputs = Object.keys(result.metafile.inputs)
    .map((p) => join(process.cwd(), p))
    .filter((p) => !p.startsWith(dir))
    .map((p) => {
      const s = statSync(p)
      return [p, s.size, s.mtimeMs]
    })
  renameSync(`${out}.tmp-${process.pid}`, out)
  try {
    renameSync(`${out}.tmp-${process.pid}.map`, `${out}.map`)
  } catch {
    // no map
  }
  writeFileSync(`${metaPath}.tmp-${process.pid}`, JSON.stringify(inputs))
  renameSync(`${metaPath}.tmp-${process.pid}`, metaPath)
  return out
}

export const relativeTo = (from, to) => relative(from, to).split(sep).join("/")
export { dirname }
