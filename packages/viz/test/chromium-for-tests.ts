/**
 * Where the browser tests find Chromium, and whether they may skip without it. `GANFLOW_CHROMIUM` names the
 * binary; otherwise Debian's `/usr/bin/chromium`, then `chromium` or `chromium-browser` on the PATH. Without one
 * the browser tests skip with one line on stderr — unless `CI` is set (to anything but "" / "0" / "false") or
 * `GANFLOW_REQUIRE_BROWSER=1`, where they fail naming Chromium. `.ci/run` installs Chromium.
 */
import { accessSync, constants, statSync } from "node:fs"
import { delimiter, join } from "node:path"

/** Chromium found at `path`, or missing with the reason and whether the tests must fail for it. */
export type ChromiumSearch = { readonly found: true; readonly path: string } | { readonly found: false; readonly reason: string; readonly required: boolean; readonly requiredBy: string }

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

const setFlag = (value: string | undefined): boolean => value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false"

/** How to get Chromium, for the skip line and the failure. */
export const chromiumHint = "install it with `apt-get install -y chromium` (Debian/Ubuntu), or set GANFLOW_CHROMIUM to a Chromium or Chrome binary"

/** Looks for Chromium as the module doc says; `env` defaults to the process environment. */
export const findChromium = (env: NodeJS.ProcessEnv = process.env): ChromiumSearch => {
  const named = env["GANFLOW_CHROMIUM"]
  const candidates = named !== undefined && named !== ""
    ? [named]
    : ["/usr/bin/chromium", ...(env["PATH"] ?? "").split(delimiter).filter((d) => d !== "").flatMap((d) => [join(d, "chromium"), join(d, "chromium-browser")])]
  const path = candidates.find(executable)
  if (path !== undefined) return { found: true, path }
  const requiredBy = setFlag(env["CI"]) ? "CI is set" : env["GANFLOW_REQUIRE_BROWSER"] === "1" ? "GANFLOW_REQUIRE_BROWSER=1" : ""
  const where = named !== undefined && named !== "" ? `at GANFLOW_CHROMIUM=${named}` : "(looked for /usr/bin/chromium, chromium and chromium-browser on the PATH)"
  return { found: false, reason: `Chromium not found ${where}`, required: requiredBy !== "", requiredBy }
}
