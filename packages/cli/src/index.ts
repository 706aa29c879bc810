/** @ganflow/cli — the `ganflow` command's pieces, for tests and embedding. */
export { parseArguments, usage, type Arguments } from "./arguments.ts"
export { loadPipeline, listPipelineFiles, pipelineFile } from "./load-pipeline.ts"
export { diffRuns, formatRunDiff, findRun, type DiffRow, type RunDiff } from "./commands/diff.ts"
export { renderRunReport, writeRunReport, seriesFromJsonl } from "./reports/run-report.ts"
export { renderRunDiffReport, writeRunDiffReport, runDiffReportName, seriesFromStepTable } from "./reports/run-diff-report.ts"
export { runParams } from "./reports/run-params.ts"
export type { RunRecord } from "@ganflow/core"
