/**
 * Whether an optional package is installed, told apart from "installed but failed to load", so a candidate can
 * give the right reason (and never crash) when its package is missing.
 */
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

/** `undefined` if `specifier` resolves from this package, else a one-line reason ("is not installed"). */
export const missingPackage = (specifier: string): string | undefined => {
  try {
    require.resolve(specifier)
    return undefined
  } catch (cause) {
    const code = (cause as { code?: string }).code
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND" || code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return `${specifier} is not installed`
    }
    return `${specifier} cannot be resolved: ${(cause as Error).message.split("\n")[0]}`
  }
}

/** Imports `specifier` at run time (a variable specifier keeps bundlers and the type checker out of it). */
export const importOptional = (specifier: string): Promise<Record<string, unknown>> =>
  import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>
