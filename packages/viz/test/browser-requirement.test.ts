/**
 * The browser tests as `npm test` runs them, in a child vitest on web-demo.test.ts with Chromium absent
 * (`GANFLOW_CHROMIUM` pointing nowhere): without `CI` they skip with one line naming Chromium and the file passes;
 * with `CI=true` (or `GANFLOW_REQUIRE_BROWSER=1`) the file fails naming Chromium.
 */
import { execFile } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const vizRoot = join(dirname(fileURLToPath(import.meta.url)), "..")
const vitestBin = join(vizRoot, "../../node_modules/vitest/vitest.mjs")
const nowhere = "/nonexistent/ganflow-test/chromium"

/** Runs web-demo.test.ts in a child vitest with `env` over the environment minus CI and GANFLOW_REQUIRE_BROWSER. */
const runWebDemoTests = (env: Record<string, string>) => {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }
  delete base["CI"]
  delete base["GANFLOW_REQUIRE_BROWSER"]
  delete base["VITEST"]
  delete base["VITEST_WORKER_ID"]
  delete base["VITEST_POOL_ID"]
  // only the browser suite: the files suite does not need Chromium and is run by the parent
  const args = [vitestBin, "run", "test/web-demo.test.ts", "-t", "web demo in headless Chromium"]
  return new Promise<{ code: number; output: string }>((done) =>
    execFile(process.execPath, args, { cwd: vizRoot, env: { ...base, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, output: `${stdout}\n${stderr}` }),
    ),
  )
}

describe("browser tests without Chromium", () => {
  it("skip with one line naming Chromium where CI is unset, and the run passes", async () => {
    const { code, output } = await runWebDemoTests({ GANFLOW_CHROMIUM: nowhere })
    expect(code, output).toBe(0)
    const lines = output.split("\n").filter((l) => l.includes("[web-demo] skipping"))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`Chromium not found at GANFLOW_CHROMIUM=${nowhere}`)
    expect(lines[0]).toContain("apt-get install -y chromium")
    expect(output).toMatch(/skipped/)
  }, 150_000)

  it("fail naming Chromium where CI=true, and where GANFLOW_REQUIRE_BROWSER=1", async () => {
    for (const env of [{ CI: "true" }, { GANFLOW_REQUIRE_BROWSER: "1" }] as Array<Record<string, string>>) {
      const { code, output } = await runWebDemoTests({ GANFLOW_CHROMIUM: nowhere, ...env })
      expect(code, output).not.toBe(0)
      expect(output).toContain(`Chromium not found at GANFLOW_CHROMIUM=${nowhere}, and the browser tests are required here (${"CI" in env ? "CI is set" : "GANFLOW_REQUIRE_BROWSER=1"})`)
      expect(output).not.toContain("[web-demo] skipping")
    }
  }, 300_000)
})
