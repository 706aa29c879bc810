/** Temporary workspaces for engine tests, inside the repository (so `@ganflow/core` resolves) and removed after. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { randomBytes } from "node:crypto"

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")

/** The CLI entry point. */
export const ganflowBin = join(repoRoot, "packages/cli/bin/ganflow.mjs")

/** A fresh workspace folder with a package.json; `write` adds files relative to it. */
export const makeWorkspace = () => {
  const root = join(repoRoot, ".test-work", `ws-${process.pid}-${randomBytes(4).toString("hex")}`)
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "test-ws", private: true, type: "module", workspaces: [] }))
  const write = (rel: string, content: string) => {
    const p = join(root, rel)
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, content)
    return p
  }
  return { root, write, path: (rel: string) => join(root, rel), cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

/**
 * The start of a test pipeline module: the imports every test pipeline uses and a `copy` stage (file input to
 * `out.txt`, plus its `suffix` param). Test files append their own stages and the `pipeline(...)` export.
 */
export const copyStageModule = `import { Effect } from "effect"
import { type } from "arktype"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, file, pipeline, upstream, fileInput, StageCheckpoints, StageEvents } from "@ganflow/core"

const copy = defineStage({
  name: "copy",
  params: type({ suffix: "string = ''" }),
  inputs: { src: fileInput() },
  run: ({ inputs, outDir, params }) => Effect.sync(() => {
    writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.src.path, "utf8") + params.suffix)
    return null
  }),
})
`

/** Poll `cond` every 50 ms until it holds; fails naming `what` after `ms`. */
export const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
