/**
 * The options of `initBackend`, as one arktype schema: defaults filled, unknown keys rejected.
 */
import { type } from "arktype"
import { BackendOptionsInvalid } from "./backend-errors.ts"

/**
 * `backend`: which backend to run on (`auto` picks the fastest available, in the order tfjs-node-gpu, tfjs-node,
 * webgpu, native, wasm, cpu). `threads`: compute threads for wasm/native (default: every logical core).
 */
export const BackendOptions = type({
  "+": "reject",
  backend: "'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'native' | 'wasm' | 'cpu' = 'auto'",
  "threads?": "1 <= number.integer <= 64",
})

/** Validated backend options. */
export type BackendOptions = typeof BackendOptions.infer

/** Options as a caller writes them (every field optional). */
export type BackendOptionsInput = typeof BackendOptions.inferIn

/** Validates options and fills defaults; fails with {@link BackendOptionsInvalid} listing every problem. */
export const parseBackendOptions = (input: unknown): BackendOptions => {
  const parsed = BackendOptions(input ?? {})
  if (parsed instanceof type.errors) {
    throw new BackendOptionsInvalid({ problems: parsed.map((problem) => problem.toString()) })
  }
  return parsed
}
