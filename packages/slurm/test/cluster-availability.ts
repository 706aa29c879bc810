/**
 * Whether this machine can start the one-node test cluster: Slurm's and munge's daemons installed, and root (or
 * passwordless sudo) to start them. The package's vitest config skips the cluster tests with one line when not,
 * unless `CI` or `GANFLOW_REQUIRE_SLURM=1` is set (then a missing cluster fails the tests).
 */
import { spawnSync } from "node:child_process"

/** Why the local cluster cannot start here, or undefined when it can. */
export const clusterUnavailable = (): string | undefined => {
  for (const command of ["slurmctld", "slurmd", "munged", "sbatch"]) {
    if (spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0) return `${command} is not installed (Debian/Ubuntu: apt-get install -y slurm-wlm munge)`
  }
  if (process.getuid?.() !== 0 && spawnSync("sudo", ["-n", "true"]).status !== 0) return "starting the local cluster needs root or passwordless sudo"
  return undefined
}

/** Whether a missing cluster must fail the tests rather than skip them. */
export const clusterRequired = (env: NodeJS.ProcessEnv = process.env): boolean => (env["CI"] !== undefined && env["CI"] !== "") || env["GANFLOW_REQUIRE_SLURM"] === "1"
