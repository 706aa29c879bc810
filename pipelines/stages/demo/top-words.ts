/** Demo stage: the k most frequent words. */
import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, upstream, StageEvents } from "@ganflow/core"

export const topWords = defineStage({
  name: "top-words",
  params: type({ k: "number.integer >= 1 = 5" }),
  inputs: { counts: upstream<{ distinct: number }>() },
  outputs: ["top.json"],
  run: ({ params, inputs, outDir }) =>
    Effect.flatMap(StageEvents, ({ metric }) =>
      Effect.sync(() => {
        const counts = JSON.parse(readFileSync(inputs.counts.path("counts.json"), "utf8")) as Record<string, number>
        const top = Object.entries(counts)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, params.k)
        writeFileSync(join(outDir, "top.json"), JSON.stringify(top))
        metric("distinct_words", inputs.counts.value.distinct)
        return top.map(([w]) => w)
      })),
})
