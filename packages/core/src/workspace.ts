/**
 * The workspace a pipeline runs in: its root folder, its own packages (name -> folder and exports) and the
 * versions its lockfile pins for third-party packages. Code fingerprints resolve imports against it.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"

/** A package of this workspace: its name, folder and `exports` map (subpath -> file). */
export interface WorkspacePackage {
  readonly name: string
  readonly dir: string
  readonly exports: Readonly<Record<string, string>>
}

/** What the engine knows about the workspace. */
export interface Workspace {
  readonly root: string
  readonly packages: ReadonlyMap<string, WorkspacePackage>
  /** Version of a third-party package as locked in package-lock.json, or undefined. */
  readonly lockedVersion: (name: string) => string | undefined
}

/** The nearest folder at or above `from` holding a package.json with `workspaces` (or nx.json). */
export const findWorkspaceRoot = (from: string = process.cwd()): string => {
  let dir = resolve(from)
  for (;;) {
    const pkg = join(dir, "package.json")
    if (existsSync(join(dir, "nx.json"))) return dir
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces !== undefined) return dir
      } catch {
        // not a workspace root
      }
    }
    const up = dirname(dir)
    if (up === dir) return resolve(from)
    dir = up
  }
}

const cache = new Map<string, Workspace>()

/** Load (once per process) the workspace rooted at `root`. */
export const loadWorkspace = (root: string): Workspace => {
  const hit = cache.get(root)
  if (hit !== undefined) return hit
  const packages = new Map<string, WorkspacePackage>()
  const rootPkg = readJson(join(root, "package.json")) as { workspaces?: string[] } | undefined
  for (const pattern of rootPkg?.workspaces ?? []) {
    const dirs = pattern.endsWith("/*")
      ? listDirs(join(root, pattern.slice(0, -2)))
      : [join(root, pattern)]
    for (const dir of dirs) {
      const pkg = readJson(join(dir, "package.json")) as { name?: string; exports?: unknown; main?: string } | undefined
      if (pkg?.name === undefined) continue
      packages.set(pkg.name, { name: pkg.name, dir, exports: normaliseExports(pkg.exports, pkg.main) })
    }
  }
  const lock = readJson(join(root, "package-lock.json")) as { packages?: Record<string, { version?: string }> } | undefined
  const locked = lock?.packages ?? {}
  const workspace: Workspace = {
    root,
    packages,
    lockedVersion: (name) => locked[`node_modules/${name}`]?.version,
  }
  cache.set(root, workspace)
  return workspace
}

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, "utf8"))
  } catch {
    return undefined
  }
}

const listDirs = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(dir, d.name))
  } catch {
    return []
  }
}

const normaliseExports = (exports: unknown, main: string | undefined): Record<string, string> => {
  if (typeof exports === "string") return { ".": exports }
  if (typeof exports === "object" && exports !== null) {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(exports)) {
      if (typeof v === "string") out[k] = v
      else if (typeof v === "object" && v !== null) {
        const target = (v as Record<string, unknown>)["import"] ?? (v as Record<string, unknown>)["default"]
        if (typeof target === "string") out[k] = target
      }
    }
    return out
  }
  return main !== undefined ? { ".": main } : {}
}
