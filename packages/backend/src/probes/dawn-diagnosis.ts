/**
 * Dawn explains a missing adapter only on the process's stderr (a native write nobody can catch). When the probe
 * finds no adapter, the same request runs once more in a short child process whose stderr is captured, so the
 * reason a user reads includes Dawn's own words (e.g. "Couldn't load Vulkan", or lavapipe's missing features).
 */
import { spawnSync } from "node:child_process"
import { createRequire } from "node:module"

const request = `const { create } = require(process.argv[1]);
create([]).requestAdapter({ powerPreference: "high-performance" }).then((a) => process.exit(a ? 0 : 3), (e) => { console.error(String(e)); process.exit(4) })`

/** Dawn's diagnostic lines for an adapter request in this environment (empty when it printed none). */
export const dawnDiagnosis = (): ReadonlyArray<string> => {
  let entry: string
  try {
    entry = createRequire(import.meta.url).resolve("webgpu")
  } catch {
    return []
  }
  const child = spawnSync(process.execPath, ["-e", request, entry], { encoding: "utf8", timeout: 30_000, env: process.env })
  return (child.stderr ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("at ") && !/^\s*$/.test(line))
    .filter((line, i, all) => all.indexOf(line) === i)
    .slice(0, 4)
}
