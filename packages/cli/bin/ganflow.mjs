#!/usr/bin/env node
// The ganflow command. It runs a cached esbuild bundle of the CLI and the chosen pipeline, compiled with V8's code
// cache (see bundle.mjs);
// set GANFLOW_NO_BUNDLE=1 to load the TypeScript sources through tsx instead.
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const mainTs = join(here, "..", "src", "main.ts")

const findRoot = (from) => {
  let dir = resolve(from)
  for (;;) {
    if (existsSync(join(dir, "nx.json"))) return dir
    try {
      if (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).workspaces !== undefined) return dir
    } catch {}
    const up = dirname(dir)
    if (up === dir) return resolve(from)
    dir = up
  }
}

const pipelineFileOf = (root, argv) => {
  const args = argv.filter((a) => !a.startsWith("-"))
  if (args[0] !== "run" && args[0] !== "status" && args[0] !== "exec-stage" && args[0] !== "sweep") return undefined
  const name = args[1]
  if (name === undefined) return undefined
  const file = name.endsWith(".ts") || name.includes("/") ? resolve(process.cwd(), name) : join(root, "pipelines", "src", `${name}.ts`)
  return existsSync(file) ? file : undefined
}

const argv = process.argv.slice(2)
const root = findRoot(process.cwd())
let started = false
if (process.env.GANFLOW_NO_BUNDLE !== "1") {
  try {
    const { bundleFor, loadBundle } = await import("./bundle.mjs")
    const pipeline = pipelineFileOf(root, argv)
    // arktype compiles validators with new Function by default; interpreting them starts faster
    const prelude = `import ${JSON.stringify(join(here, "arktype-jitless.mjs"))}\n`
    const entry = pipeline === undefined
      ? `${prelude}import { main } from ${JSON.stringify(mainTs)}\nmain()\n`
      : `${prelude}import definition from ${JSON.stringify(pipeline)}\nimport { main } from ${JSON.stringify(mainTs)}\nmain({ file: ${JSON.stringify(pipeline)}, definition })\n`
    const bundle = await bundleFor(root, pipeline === undefined ? "cli" : `pipeline-${pipeline.replace(/^.*\//, "").replace(/\.ts$/, "")}`, entry)
    started = true
    await loadBundle(bundle)
  } catch (e) {
    if (started) throw e
    process.stderr.write(`ganflow: bundling failed, loading sources through tsx instead (${e.message?.split("\n")[0]})\n`)
  }
}
if (!started) {
  const { register } = await import("tsx/esm/api")
  register()
  const { main } = await import(pathToFileURL(mainTs).href)
  main()
}
