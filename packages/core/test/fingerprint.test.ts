import { afterEach, describe, expect, it } from "vitest"
import { writeFileSync } from "node:fs"
import { compileSource } from "../src/code-fingerprint.ts"
import { fingerprintCode, loadWorkspace, scanImports, StatCache } from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

describe("scanImports", () => {
  it("finds static, re-export, side-effect and literal dynamic imports, not type-only ones or comments", () => {
    const src = `
import { a } from "./a.ts"
import type { T } from "./types.ts"
import b, {
  c as d,
} from '@scope/pkg/sub'
export * from "./re.ts"
export { e } from "./e.ts"
export type { U } from "./u.ts"
import "./side.ts"
// import { no } from "./commented.ts"
/* import { no2 } from "./block.ts" */
const lazy = await import("./lazy.ts")
const url = "http://example.com/x" // not an import
`
    expect(scanImports(src).sort()).toEqual(["./a.ts", "./e.ts", "./lazy.ts", "./re.ts", "./side.ts", "@scope/pkg/sub"].sort())
  })
})

describe("fingerprintCode", () => {
  let cleanup = () => {}
  afterEach(() => cleanup())

  it("covers the module and workspace modules it imports transitively, and third-party packages by locked version", () => {
    const ws = makeWorkspace()
    cleanup = ws.cleanup
    writeFileSync(ws.path("package.json"), JSON.stringify({ name: "w", workspaces: ["packages/*"] }))
    ws.write("package-lock.json", JSON.stringify({ packages: { "node_modules/arktype": { version: "2.2.9" } } }))
    ws.write("packages/models/package.json", JSON.stringify({ name: "@t/models", exports: { ".": "./src/index.ts", "./*": "./src/*.ts" } }))
    ws.write("packages/models/src/index.ts", `export * from "./dcgan.ts"\n`)
    ws.write("packages/models/src/dcgan.ts", `import { type } from "arktype"\nexport const g = 1\n`)
    ws.write("packages/models/src/unused.ts", `export const u = 1\n`)
    const entry = ws.write("stages/train.ts", `import { g } from "@t/models"\nimport { h } from "./local.ts"\nimport { readFileSync } from "node:fs"\nimport { Effect } from "@ganflow/core"\n`)
    ws.write("stages/local.ts", `export const h = 2\n`)
    const workspace = loadWorkspace(ws.root)
    const cache = StatCache.load(undefined)
    const fp = fingerprintCode(entry, workspace, cache)
    expect(Object.keys(fp.files).sort()).toEqual(["packages/models/src/dcgan.ts", "packages/models/src/index.ts", "stages/local.ts", "stages/train.ts"])
    expect(fp.packages).toEqual({ arktype: "2.2.9" })
    ws.write("packages/models/src/unused.ts", `export const u = 2\n`)
    expect(fingerprintCode(entry, workspace, StatCache.load(undefined)).digest).toBe(fp.digest)
    ws.write("packages/models/src/dcgan.ts", `import { type } from "arktype"\nexport const g = 3\n`)
    expect(fingerprintCode(entry, workspace, StatCache.load(undefined)).digest).not.toBe(fp.digest)
  })
})

describe("compileSource", () => {
  const digest = (src: string, file = "x.ts") => compileSource(file, src).digest
  const base = `import { a } from "./a.ts"\nexport const f = (x: number): number => x * a // scale\n`
  it("ignores comments, types, quotes and formatting", () => {
    for (const same of [
      `// header\nimport { a } from './a.ts'\n\nexport const f = (x: number): number =>\n  x * a\n`,
      `import {a} from "./a.ts"\n/** doc */\nexport const f = (x) => x*a\n`,
      `import { a } from "./a.ts"\ntype Unused = { n: number }\nexport const f = (x: number) => x * a /* inline */\n`,
    ]) expect(digest(same)).toBe(digest(base))
  })
  it("changes with anything that runs: an operator, a literal, a string, an import, a comment-like string", () => {
    for (const other of [
      `import { a } from "./a.ts"\nexport const f = (x: number): number => x + a\n`,
      `import { a } from "./a.ts"\nexport const f = (x: number): number => x * a * 1.5\n`,
      `import { a } from "./b.ts"\nexport const f = (x: number): number => x * a\n`,
      `import { a } from "./a.ts"\nexport const f = (x: number): number => x * a\nexport const s = "// not a comment"\n`,
    ]) expect(digest(other)).not.toBe(digest(base))
  })
  it("a file esbuild cannot parse is digested by its text, never equal to compiled code", () => {
    expect(digest("export const = ;")).not.toBe(digest("export const = ; // x"))
  })
})
