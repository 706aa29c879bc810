/** Demo stage: count words of the corpus, reporting progress line by line. */
import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, upstream, StageEvents } from "@ganflow/core"
import { tokens } from "./text-tokens.ts"

export const countWords = defineStage({
  name: "count-words",
  params: type({ minLength: "number.integer >= 1 = 1", lowercase: "boolean = true", "failWith?": "string", "delayMs?": "number >= 0" }),
  inputs: { corpus: upstream() },
  outputs: ["counts.json"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      const { progress } = yield* StageEvents
      if (params.failWith !== undefined) return yield* Effect.fail(new Error(params.failWith))
      const lines = readFileSync(inputs.corpus.path("corpus.txt"), "utf8").split("\n")
      const counts: Record<string, number> = {}
      for (let i = 0; i < lines.length; i++) {
        for (const w of tokens(lines[i]!, params.lowercase)) if (w.length >= params.minLength) counts[w] = (counts[w] ?? 0) + 1
        progress({ step: i + 1, total: lines.length })
        if (params.delayMs !== undefined) yield* Effect.sleep(params.delayMs)
      }
      const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)))
      writeFileSync(join(outDir, "counts.json"), JSON.stringify(sorted, null, 1))
      return { distinct: Object.keys(sorted).length }
    }),
})
