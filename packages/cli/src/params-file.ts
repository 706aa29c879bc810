/**
 * `--params <file.json>`: stage param overrides kept in a file, as researchers keep a params.yaml beside a DVC
 * pipeline. The file is a deep-partial params object per stage, `{ "fid": { "samples": 2000 }, "train": { "steps":
 * 1200 } }` (dotted keys are shorthand: `{ "fid.samples": 2000 }`), merged onto the pipeline's params after the
 * profile and before any `--set`. In watch mode the file is watched, so editing a value reruns exactly the stages
 * that param reaches.
 */
import { existsSync, readFileSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"
import { paramsPatch, type ParamOverride } from "@ganflow/core"

/** The absolute path of a params file given on the command line (relative to the current directory). */
export const paramsFilePath = (file: string): string => (isAbsolute(file) ? file : resolve(process.cwd(), file))

/** The patch a params file holds; throws a TypeError naming the file and what is wrong with it. */
export const overridesFromParamsFile = (file: string): ParamOverride => {
  const path = paramsFilePath(file)
  if (!existsSync(path)) throw new TypeError(`--params ${file}: no such file`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"))
  } catch (e) {
    throw new TypeError(`--params ${file}: not valid JSON (${(e as Error).message})`)
  }
  const patch = paramsPatch(`--params ${file}`, parsed)
  if (typeof patch === "string") throw new TypeError(patch)
  return patch
}

/** The overrides a command applies: the params file's (if any) first, then `--set`. */
export const overridesOf = (args: { readonly paramsFile: string | undefined; readonly set: ReadonlyArray<ParamOverride> }): ParamOverride[] => [
  ...(args.paramsFile === undefined ? [] : [overridesFromParamsFile(args.paramsFile)]),
  ...args.set,
]
