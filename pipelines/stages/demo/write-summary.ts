/** Demo stage: a Markdown summary joining the two branches. */
import { Effect } from "effect"
import { type } from "arktype"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, upstream, StageEvents } from "@ganflow/core"

export const writeSummary = defineStage({
  name: "write-summary",
  params: type({ title: "string = 'Corpus summary'" }),
  inputs: { top: upstream<string[]>(), stats: upstream<{ lines: number; chars: number }>() },
  outputs: ["summary.md"],
  run: ({ params, inputs, outDir, finalDir }) =>
    Effect.flatMap(StageEvents, ({ log }) =>
      Effect.sync(() => {
        const md = `# ${params.title}\n\n${inputs.stats.value.lines} lines, ${inputs.stats.value.chars} characters.\n\nTop words: ${inputs.top.value.join(", ")}\n`
        writeFileSync(join(outDir, "summary.md"), md)
        log(`wrote ${join(finalDir, "summary.md")}`)
        return null
      })),
})
