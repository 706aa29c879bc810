/**
 * The fingerprint of a stage's code: the digests of the module that defines the stage and of every workspace
 * module it imports, transitively, plus the locked versions of the third-party packages they import. Type-only
 * imports are skipped (they do not run). The engine's own package, `@ganflow/core`, is not part of any
 * fingerprint: how outputs are stored is versioned by the store format, not by the engine's source.
 *
 * A module's digest is that of what it compiles to (esbuild, types erased, whitespace and comments dropped,
 * quotes normalised), so editing a comment, a type or the formatting keeps a stage cached, while any change to
 * what runs reruns it. What a file compiles to is remembered in the stat cache by the digest of its content.
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { builtinModules, createRequire } from "node:module"
import { dirname, extname, join, relative, resolve, sep } from "node:path"
import { sha256 } from "./digest.ts"
import type { CompiledSource, StatCache } from "./stat-cache.ts"
import type { Workspace } from "./workspace.ts"
import { canonicalJson } from "./canonical-json.ts"

/** A code fingerprint: per-file digests (paths relative to the workspace root) and package versions. */
export interface CodeFingerprint {
  readonly digest: string
  readonly files: Readonly<Record<string, string>>
  readonly packages: Readonly<Record<string, string>>
}

/** Packages whose source never enters a fingerprint. */
const engineModules = new Set(["@ganflow/core"])

const importPattern =
  /(?:^|[;\n}])\s*(import|export)\s+(type\s+)?(?:[\w*${}\s,]*?\s+from\s+)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g

/** The module specifiers a source file imports at run time (static, re-exports, literal dynamic imports). */
export const scanImports = (source: string): string[] => {
  const stripped = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")
  const out: string[] = []
  for (const m of stripped.matchAll(importPattern)) {
    if (m[2] !== undefined) continue // import type / export type
    const spec = m[3] ?? m[4]
    if (spec !== undefined) out.push(spec)
  }
  return out
}

const builtins = new Set(builtinModules)
const extensions = ["", ".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.js"]

const resolveFile = (base: string): string | undefined => {
  const candidates = base.endsWith(".js") ? [base.slice(0, -3) + ".ts", base] : extensions.map((e) => base + e)
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c
    } catch {
      // try the next candidate
    }
  }
  return undefined
}

const packageName = (spec: string): string => {
  const parts = spec.split("/")
  return spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!
}

type Resolution = { kind: "file"; path: string } | { kind: "package"; name: string } | { kind: "skip" }

const resolveSpecifier = (spec: string, from: string, ws: Workspace): Resolution => {
  if (spec.startsWith("node:") || builtins.has(spec)) return { kind: "skip" }
  if (spec.startsWith(".") || spec.startsWith("/")) {
    const path = resolveFile(resolve(dirname(from), spec))
    return path === undefined ? { kind: "skip" } : { kind: "file", path }
  }
  const name = packageName(spec)
  if (engineModules.has(name)) return { kind: "skip" }
  const pkg = ws.packages.get(name)
  if (pkg === undefined) return { kind: "package", name }
  const sub = spec === name ? "." : `.${spec.slice(name.length)}`
  let target = pkg.exports[sub]
  if (target === undefined) {
    for (const [pattern, t] of Object.entries(pkg.exports)) {
      if (pattern.endsWith("*") && sub.startsWith(pattern.slice(0, -1))) {
        target = t.replace("*", sub.slice(pattern.length - 1))
        break
      }
    }
  }
  const path = target === undefined ? undefined : resolveFile(join(pkg.dir, target))
  return path === undefined ? { kind: "skip" } : { kind: "file", path }
}

type Transform = (source: string, options: Record<string, unknown>) => { code: string }
let esbuildTransform: Transform | null | undefined

/** esbuild's transformSync, loaded on first use (only when a source file is new or was edited). */
const loadTransform = (): Transform | null => {
  if (esbuildTransform === undefined) {
    try {
      esbuildTransform = (createRequire(import.meta.url)("esbuild") as { transformSync: Transform }).transformSync
    } catch {
      esbuildTransform = null
    }
  }
  return esbuildTransform
}

const loaders: Record<string, string> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" }

/**
 * The digest of what `source` (the text of `file`) compiles to, and its run-time imports. Without esbuild, or
 * for a file it cannot parse, the digest is that of the source text (tagged, so it never equals a compiled one).
 */
export const compileSource = (file: string, source: string): CompiledSource => {
  const imports = scanImports(source)
  const loader = loaders[extname(file)]
  const transform = loader === undefined ? null : loadTransform()
  if (transform !== null) {
    try {
      const { code } = transform(source, {
        loader,
        format: "esm",
        target: "esnext",
        minifyWhitespace: true,
        legalComments: "none",
        charset: "utf8",
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      })
      return { digest: sha256(`compiled\0${code}`), imports }
    } catch {
      // a syntax error: the stage fails when it loads; the source text stands for the code meanwhile
    }
  }
  return { digest: sha256(`source\0${source}`), imports }
}

/** Fingerprint the module at absolute path `entry` and what it imports, transitively. */
export const fingerprintCode = (entry: string, ws: Workspace, cache: StatCache): CodeFingerprint => {
  const files: Record<string, string> = {}
  const packages: Record<string, string> = {}
  const seen = new Set<string>()
  const stack = [entry]
  while (stack.length > 0) {
    const file = stack.pop()!
    if (seen.has(file)) continue
    seen.add(file)
    if (!existsSync(file)) continue
    const compiled = cache.compiled(cache.digest(file).digest, () => compileSource(file, readFileSync(file, "utf8")))
    files[relative(ws.root, file).split(sep).join("/")] = compiled.digest
    for (const spec of compiled.imports) {
      const r = resolveSpecifier(spec, file, ws)
      if (r.kind === "file") stack.push(r.path)
      else if (r.kind === "package") packages[r.name] = ws.lockedVersion(r.name) ?? "unlocked"
    }
  }
  return { digest: sha256(canonicalJson({ files, packages })), files, packages }
}
