/** The run report: one HTML page per run (stages and why they ran, params, metrics, curves, pictures). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { imagesFromFloats, renderImageGrid } from "@ganflow/viz"
import { describe, expect, it } from "vitest"
import { renderRunReport, seriesFromJsonl } from "../src/index.ts"

describe("run report", () => {
  it("shows stages with why they ran, params, metrics, curves from JSONL logs and the stages' pictures", async () => {
    const dir = mkdtempSync(join(tmpdir(), "viz-report-"))
    try {
      const out = join(dir, "out", "k1")
      mkdirSync(join(out, "samples"), { recursive: true })
      writeFileSync(join(out, "samples", "step-00100.png"), await renderImageGrid(imagesFromFloats(new Float32Array(12), [1, 2, 2, 3], "tanh")))
      writeFileSync(join(out, "losses.jsonl"), '{"step":1,"d":1.2,"g":0.7}\n{"step":2,"d":1.0,"g":0.9}\n')
      expect(seriesFromJsonl('{"step":1,"d":1.2}\n{"step":3,"d":1.0}\n')).toEqual([{ name: "d", points: [[1, 1.2], [3, 1.0]] }])
      const html = renderRunReport(
        {
          id: "r1", pipeline: "dcgan", status: "ok", startedAt: "2026-11-23T00:00:00Z", durationMs: 1500, profile: null, overrides: ["train.lr=1e-4"],
          host: { node: "v20", platform: "linux", cpus: 2 },
          stages: [
            { name: "data", stage: "faces", upstreams: [], status: "cached", reasons: [], durationMs: 1, metrics: {}, env: {}, params: { size: 64 } },
            { name: "train", stage: "train-gan", upstreams: ["data"], status: "ran", key: "abcdef0123456789", reasons: ["params changed: lr 0.0002 -> 0.0001"], durationMs: 1000, dir: out, metrics: { fid: 42.5 }, env: {}, params: { lr: 0.0001 } },
          ],
        },
        join(dir, "reports"),
      )
      expect(html).toContain("params changed: lr 0.0002 -&gt; 0.0001")
      expect(html).toContain("<td>train.lr</td><td><code>0.0001</code></td>")
      expect(html).toContain("<td>fid</td><td>42.5000</td>")
      expect(html).toContain('src="../out/k1/samples/step-00100.png"')
      expect((html.match(/<polyline/g) ?? []).length).toBe(2)
      expect(html).not.toContain("no longer in the store")
      // after gc removed the training outputs, the report says their pictures are gone instead of dropping them
      rmSync(out, { recursive: true })
      const later = renderRunReport(
        {
          id: "r1", pipeline: "dcgan", status: "ok", startedAt: "2026-11-23T00:00:00Z", durationMs: 1500, profile: null, overrides: [],
          host: { node: "v20", platform: "linux", cpus: 2 },
          stages: [{ name: "train", stage: "train-gan", upstreams: [], status: "ran", key: "abcdef0123456789", reasons: [], durationMs: 1000, dir: out, metrics: {}, env: {}, params: {} }],
        },
        join(dir, "reports"),
      )
      expect(later).toContain("Outputs no longer in the store")
      expect(later).toContain("The outputs of <code>train</code> were removed (by <code>ganflow gc</code>)")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
