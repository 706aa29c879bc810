/**
 * `--params <file.json>`: stage param overrides kept in a file, as researchers keep a params.yaml beside a DVC
 * pipeline. The file is a JSON object `{ "fid.samples": 2000, "train.steps": 1200 }` (the keys `--set` takes);
 * its values apply after the profile and before any `--set`. In watch mode the file is watched, so editing a
 * value reruns exactly the stages that param reaches.
 */
import { existsSync, readFileSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"

/** The absolute path of a params file given on the command line (relative to the current directory). */
export const paramsFilePath = (file: string): string => (isAbsolute(file) ? file : resolve(process.cwd(), file))

/** The `--set` strings of a params file; throws a TypeError naming the file and the bad entry. */
export const overridesFromParamsFile = (file: string): string[] => {
  const path = paramsFilePath(file)
  if (!existsSync(path)) throw new TypeError(`--params ${file}: no such file`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"))
  } catch (e) {
    throw new TypeError(`--params ${file}: not valid JSON (${(e as Error).message})`)
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new TypeError(`--params ${file}: must be a JSON object of "stage.param": value`)
  return Object.entries(parsed).map(([key, value]) => {
    if (!/^[^.=\s]+\.[^=\s]+$/.test(key)) throw new TypeError(`--params ${file}: key ${JSON.stringify(key)} is not of the form stage.param`)
    return `${key}=${JSON.stringify(value)}`
  })
}

/** The overrides a command applies: the params file's (if any) first, then `--set`. */
export const overridesOf = (args: { readonly paramsFile: string | undefined; readonly set: ReadonlyArray<string> }): string[] => [
  ...(args.paramsFile === undefined ? [] : overridesFromParamsFile(args.paramsFile)),
  ...args.set,
]
