/**
 * demo — a pipeline of cheap stages (no tensors) that shows the engine: a folder input, params, two
 * branches joined at the end, progress, metrics. `nx run pipelines:demo`, then edit a text file under
 * pipelines/data/demo/texts or `--set top.k=3` and run again: only what depends on the change reruns.
 */
import { folder, pipeline } from "@ganflow/core"
import { gatherCorpus } from "../stages/demo/gather-corpus.ts"
import { countWords } from "../stages/demo/count-words.ts"
import { topWords } from "../stages/demo/top-words.ts"
import { textStats } from "../stages/demo/text-stats.ts"
import { writeSummary } from "../stages/demo/write-summary.ts"

const corpus = gatherCorpus.as("corpus", { inputs: { texts: folder("pipelines/data/demo/texts") } })
const counts = countWords.as("counts", { inputs: { corpus } })
const top = topWords.as("top", { inputs: { counts } })
const stats = textStats.as("stats", { inputs: { corpus } })
const summary = writeSummary.as("summary", { inputs: { top, stats } })

export default pipeline({
  name: "demo",
  description: "Word statistics over a folder of text files",
  stages: [corpus, counts, top, stats, summary],
  profiles: { big: { "corpus.copies": 200 } },
})
