/**
 * Read access to an HDF5 file through h5wasm (the HDF5 C library compiled to WebAssembly; Node build with direct
 * host-filesystem access). HDF5's own failures (truncated file, missing signature, unreadable object) become
 * {@link Hdf5FileInvalid} errors naming the file, the path inside it and HDF5's innermost reason, instead of the
 * library's stderr diagnostics.
 */
import { existsSync, statSync } from "node:fs"
import { resolve } from "node:path"
import * as h5wasm from "h5wasm/node"
import { Hdf5FileInvalid } from "./errors.ts"

/** A dataset's decoded value as h5wasm gives it (typed array, string, string array, bytes of an opaque value, …). */
export type Hdf5Value = NonNullable<h5wasm.Dataset["value"]>

/** HDF5 datatype class numbers (H5T_class_t) the readers distinguish. */
export const HDF5_TYPE_CLASS = { integer: 0, float: 1, string: 3, opaque: 5 } as const

/** One dataset's type, shape and value. */
export interface Hdf5Dataset {
  readonly path: string
  /** H5T class (see {@link HDF5_TYPE_CLASS}). */
  readonly typeClass: number
  /** Dimensions; `[]` for a scalar. */
  readonly shape: readonly number[]
  readonly value: Hdf5Value
}

/** An open HDF5 file; `close()` it when done. Every method fails with {@link Hdf5FileInvalid}. */
export interface Hdf5File {
  readonly file: string
  /** Names of the members of the group at `path` (sorted as HDF5 lists them: by name). */
  readonly members: (path: string) => readonly string[]
  /** Whether `path` names a group. */
  readonly isGroup: (path: string) => boolean
  /** The dataset at `path`, read whole. */
  readonly dataset: (path: string) => Hdf5Dataset
  readonly close: () => void
}

let module: Promise<unknown> | undefined

/** h5wasm, started once, with HDF5 errors thrown as JavaScript errors rather than printed. */
const startedH5wasm = async (): Promise<void> => {
  module ??= h5wasm.ready.then((m) => {
    m.activate_throwing_error_handler()
    return m
  })
  await module
}

/** HDF5's innermost reason in an error stack ("truncated file: eof = 30000, … stored_eof = 54559"), else the message. */
export const hdf5Reason = (error: unknown): string => {
  const message = String((error as Error | undefined)?.message ?? error)
  const reasons = [...message.matchAll(/#\d+: .*? in [\w.]+\(\): (.*)$/gm)].map((m) => m[1]!.trim())
  return reasons.at(-1) ?? message.split("\n")[0]!
}

/** The path of member `name` of group `group` (`/` + name for the root). */
export const hdf5Path = (group: string, name: string): string => (group === "/" ? `/${name}` : `${group}/${name}`)

/**
 * Opens `file` read-only. Fails with {@link Hdf5FileInvalid} (path `/`) when it does not exist, is not an HDF5 file
 * ("file signature not found") or is truncated ("truncated file: eof = …, stored_eof = …").
 */
export const openHdf5File = async (file: string): Promise<Hdf5File> => {
  const absolute = resolve(file)
  const fail = (path: string, reason: string) => new Hdf5FileInvalid({ file, path, reason })
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw fail("/", "no such file")
  await startedH5wasm()
  let handle: h5wasm.File
  try {
    handle = new h5wasm.File(absolute, "r")
  } catch (e) {
    const reason = hdf5Reason(e)
    throw fail("/", /signature not found/.test(reason) ? `not an HDF5 file (${reason})` : `cannot open: ${reason}`)
  }
  const entity = (path: string) => {
    let found: ReturnType<h5wasm.File["get"]>
    try {
      found = path === "/" ? handle : handle.get(path)
    } catch (e) {
      throw fail(path, `cannot read: ${hdf5Reason(e)}`)
    }
    if (found === null || found === undefined) {
      const parent = path.slice(0, Math.max(1, path.lastIndexOf("/")))
      throw fail(path, `missing (${parent} has ${members(parent).join(", ") || "no members"})`)
    }
    return found
  }
  const members = (path: string): readonly string[] => {
    const group = path === "/" ? handle : handle.get(path)
    if (!(group instanceof h5wasm.Group)) throw fail(path, group === null ? "missing group" : "is not a group")
    try {
      return group.keys()
    } catch (e) {
      throw fail(path, `cannot list members: ${hdf5Reason(e)}`)
    }
  }
  return {
    file,
    members: (path) => {
      if (path !== "/") entity(path)
      return members(path)
    },
    isGroup: (path) => {
      try {
        return (path === "/" ? handle : handle.get(path)) instanceof h5wasm.Group
      } catch {
        return false
      }
    },
    dataset: (path) => {
      const found = entity(path)
      if (!(found instanceof h5wasm.Dataset)) throw fail(path, "is a group, expected a dataset")
      try {
        const metadata = found.metadata
        const value = found.value
        if (value === null) throw new Error("no value")
        return { path, typeClass: metadata.type, shape: metadata.shape ?? [], value }
      } catch (e) {
        throw fail(path, `cannot read: ${hdf5Reason(e)}`)
      }
    },
    close: () => {
      try {
        handle.close()
      } catch {
        // closing a file whose objects failed to read can fail again; nothing is left to release
      }
    },
  }
}

