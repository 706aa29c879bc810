/**
 * One optional float64 entry point of @ganflow/native, looked up once: the function when the addon is
 * built and has it, else null (the caller then uses its WebAssembly or TypeScript fallback).
 */
import { loadAddon, type NativeAddon } from "@ganflow/native/addon"

type OptionalEntry = "crossProductF64" | "symmetricTridiagonalF64"

/** A lazy lookup of `name` on the addon, bound to it; null when the addon or the entry point is missing. */
export const nativeAddonFunction = <K extends OptionalEntry>(name: K): (() => NonNullable<NativeAddon[K]> | null) => {
  let found: NonNullable<NativeAddon[K]> | null | undefined
  return () => {
    if (found === undefined) {
      const load = loadAddon()
      const entry = load.ok ? load.addon[name] : undefined
      found = typeof entry === "function" ? (entry.bind(load.ok ? load.addon : undefined) as NonNullable<NativeAddon[K]>) : null
    }
    return found
  }
}
