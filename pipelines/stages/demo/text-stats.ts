/** Demo stage: line and character statistics of the corpus (an independent branch of the demo DAG). */
import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, upstream, StageEvents } from "@ganflow/core"

export const textStats = defineStage({
  name: "text-stats",
  params: type({}),
  inputs: { corpus: upstream() },
  outputs: ["stats.json"],
  run: ({ inputs, outDir }) =>
    Effect.flatMap(StageEvents, ({ metric }) =>
      Effect.sync(() => {
        const text = readFileSync(inputs.corpus.path("corpus.txt"), "utf8")
        const lines = text.split("\n").filter((l) => l.trim() !== "")
        const stats = { lines: lines.length, chars: text.length, meanLineLength: text.length / Math.max(1, lines.length) }
        writeFileSync(join(outDir, "stats.json"), JSON.stringify(stats))
        metric("lines", stats.lines)
        return stats
      })),
})
