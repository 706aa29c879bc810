/** Demo stage: gather the text files of a folder into one corpus, repeated `copies` times. */
import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, folderInput } from "@ganflow/core"

export const gatherCorpus = defineStage({
  name: "gather-corpus",
  description: "Concatenate every text file of a folder into corpus.txt",
  params: type({ copies: "number.integer >= 1 = 1", "delayMs?": "number >= 0" }),
  inputs: { texts: folderInput() },
  outputs: ["corpus.txt"],
  run: ({ params, inputs, outDir }) =>
    Effect.gen(function* () {
      if (params.delayMs !== undefined) yield* Effect.sleep(params.delayMs)
      const parts = inputs.texts.files.map((f) => readFileSync(join(inputs.texts.path, f), "utf8"))
      const corpus = Array.from({ length: params.copies }, () => parts.join("\n")).join("\n")
      writeFileSync(join(outDir, "corpus.txt"), corpus)
      return { files: inputs.texts.files.length, bytes: corpus.length }
    }),
})
