/**
 * A local S3-compatible server for tests: the npm `s3rver`, started as its own process on a free port with a
 * bucket, and stopped after. Tests use only the S3 features ganflow uses on every store (see s3-blob-store.ts).
 */
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"

/** A running s3rver. */
export interface S3rverProcess {
  readonly endpoint: string
  readonly bucket: string
  readonly process: ChildProcess
  /** Stop the server and remove its data. */
  readonly stop: () => Promise<void>
}

/** s3rver's fixed credentials (it accepts only these); tests put them in the environment, as the AWS chain reads them. */
export const s3rverCredentials = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" }

/** Start s3rver with one bucket; resolves once it listens. */
export const startS3rver = (bucket = "gan-cache"): Promise<S3rverProcess> => {
  const bin = join(dirname(createRequire(import.meta.url).resolve("s3rver/package.json")), "bin", "s3rver.js")
  const directory = mkdtempSync(join(tmpdir(), "ganflow-s3rver-"))
  // s3rver makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider
  // (an s3rver quirk: without it, any truncated listing answers 500)
  const child = spawn(process.execPath, ["--openssl-legacy-provider", bin, "-d", directory, "-a", "127.0.0.1", "-p", "0", "-s", "--configure-bucket", bucket], { stdio: ["ignore", "pipe", "pipe"] })
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r))
      child.kill("SIGTERM")
      await exited
    }
    rmSync(directory, { recursive: true, force: true })
  }
  return new Promise((resolve, reject) => {
    let out = ""
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`s3rver did not start within 20 s: ${out}`))
    }, 20_000)
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const m = /listening on ([\d.]+):(\d+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve({ endpoint: `http://${m[1]}:${m[2]}`, bucket, process: child, stop })
      }
    })
    child.stderr!.on("data", (d: Buffer) => void (out += d.toString()))
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`s3rver exited with ${code}: ${out}`))
    })
  })
}
