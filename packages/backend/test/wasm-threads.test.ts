import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const child = fileURLToPath(new URL("./children/wasm-mat-mul-child.ts", import.meta.url))

/** Runs the child with `threads`; resolves with its stdout, stderr, exit code and whether it had to be killed. */
const runChild = (threads: number, limitMs: number) =>
  new Promise<{ stdout: string; stderr: string; code: number | null; killed: boolean }>((resolve) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", child, String(threads)], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    let killed = false
    process_.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      killed = true
      process_.kill("SIGKILL")
    }, limitMs)
    process_.on("exit", (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code, killed })
    })
  })

describe("wasm threads under Node", () => {
  it("runs a matMul on 2 threads, prints nothing but its own line, and exits on its own", async () => {
    const result = await runChild(2, 50_000)
    expect(result.killed, `child hung; stderr: ${result.stderr}`).toBe(false)
    expect(result.code, result.stderr).toBe(0)
    // stdout holds exactly the child's JSON line: no tfjs banner, no Emscripten output.
    const lines = result.stdout.trim().split("\n")
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toEqual({ name: "wasm", threads: 2, corner: 256 })
  })
})
