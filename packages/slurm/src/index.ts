/**
 * @ganflow/slurm: Slurm's client commands as typed Effects. `runJob` (submit, stream the log, await, scancel
 * on interruption) and `runJobWithRetries` are what an executor uses per stage; the pieces are exported too.
 * Every Effect needs the SlurmCli service (`layerSlurmCli({ env: { SLURM_CONF } })`). `layerSlurmExecutor` is the
 * runner's Slurm `StageExecutor` (`ganflow run --executor slurm`), `checkSubmission` its pre-run check.
 */
export * from "./errors.ts"
export * from "./slurm-cli.ts"
export * from "./job-spec.ts"
export * from "./sbatch-arguments.ts"
export * from "./submit-job.ts"
export * from "./job-state.ts"
export * from "./query-job.ts"
export * from "./job-outcome.ts"
export * from "./log-tail.ts"
export * from "./await-job.ts"
export * from "./follow-log.ts"
export * from "./cancel-job.ts"
export * from "./retry-policy.ts"
export * from "./run-job.ts"
export * from "./submission-check.ts"
export * from "./driver-jobs.ts"
export * from "./slurm-executor.ts"
