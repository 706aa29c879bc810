/** Remote URLs and the ganflow.json remotes: what is accepted, what is refused (and that refusals write nothing). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Effect, Exit, Cause, Option } from "effect"
import { addRemote, parseRemoteUrl, readRemotes, remoteSettings, removeRemote } from "../src/index.ts"

const root = mkdtempSync(join(tmpdir(), "ganflow-remote-config-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const failure = async (effect: Effect.Effect<unknown, unknown>): Promise<{ _tag: string; message: string }> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  return Option.getOrThrow(Cause.failureOption(exit.cause)) as { _tag: string; message: string }
}

describe("parseRemoteUrl", () => {
  it("reads s3://bucket/prefix and file:///folder", () => {
    expect(Effect.runSync(parseRemoteUrl("s3://gan-cache/lab/ganflow/", "x"))).toEqual({ kind: "s3", bucket: "gan-cache", prefix: "lab/ganflow/" })
    expect(Effect.runSync(parseRemoteUrl("s3://gan-cache", "x"))).toEqual({ kind: "s3", bucket: "gan-cache", prefix: "" })
    expect(Effect.runSync(parseRemoteUrl("file:///shared/nfs/ganflow/", "x"))).toEqual({ kind: "file", root: "/shared/nfs/ganflow" })
  })
  it.each([
    ["s3://KEY:SECRET@gan-cache/x", "credentials never go in a remote URL"],
    ["s3://Bad_Bucket/x", "not a valid S3 bucket name"],
    ["s3://gan-cache/../x", "may not contain"],
    ["file://host/shared", "three slashes"],
    ["http://minio:9000/bucket", "unsupported scheme http:"],
    ["gan-cache/x", "not a URL"],
    ["s3://gan-cache/x?secret=1", "no query"],
  ])("refuses %s", async (url, problem) => {
    const e = await failure(parseRemoteUrl(url, "remote lab"))
    expect(e._tag).toBe("RemoteConfigInvalid")
    expect(e.message).toContain("remote lab")
    expect(e.message).toContain(problem)
  })
})

describe("ganflow.json remotes", () => {
  it("adds, lists and removes remotes; refusals leave the file as it was", async () => {
    await Effect.runPromise(addRemote(root, "lab", { url: "s3://gan-cache/lab", endpoint: "http://minio.lab:9000/" }))
    await Effect.runPromise(addRemote(root, "nfs", { url: "file:///shared/ganflow" }))
    expect(await Effect.runPromise(readRemotes(root))).toEqual({ lab: { url: "s3://gan-cache/lab", endpoint: "http://minio.lab:9000" }, nfs: { url: "file:///shared/ganflow" } })
    const before = readFileSync(join(root, "ganflow.json"), "utf8")
    expect((await failure(addRemote(root, "lab", { url: "s3://other/x" }))).message).toContain("already configured")
    expect((await failure(addRemote(root, "x", { url: "file:///a", region: "eu-west-1" }))).message).toContain("endpoint and region apply to s3:// remotes only")
    expect((await failure(addRemote(root, "bad name", { url: "file:///a" }))).message).toContain('remote name "bad name"')
    expect((await failure(addRemote(root, "y", { url: "s3://gan-cache/x", endpoint: "ftp://host" }))).message).toContain("must be http:// or https://")
    expect((await failure(addRemote(root, "z", { url: "file:///a" }, () => Effect.fail({ _tag: "Unreachable", message: "probe failed" })))).message).toBe("probe failed")
    expect(readFileSync(join(root, "ganflow.json"), "utf8")).toBe(before)
    const unknown = await failure(remoteSettings(root, "nope"))
    expect(unknown._tag).toBe("RemoteUnknown")
    expect(unknown.message).toContain('unknown remote "nope" (configured: lab, nfs in')
    await Effect.runPromise(removeRemote(root, "nfs"))
    expect(Object.keys(await Effect.runPromise(readRemotes(root)))).toEqual(["lab"])
  })
  it("a hand-edited file with an unknown key or a secret field is an error naming the file and field", async () => {
    const dir = mkdtempSync(join(root, "ws-"))
    writeFileSync(join(dir, "ganflow.json"), JSON.stringify({ remotes: { lab: { url: "s3://gan-cache/x", secretAccessKey: "oops" } } }))
    const e = await failure(readRemotes(dir))
    expect(e._tag).toBe("RemoteConfigInvalid")
    expect(e.message).toContain(join(dir, "ganflow.json"))
    expect(e.message).toContain("secretAccessKey")
    writeFileSync(join(dir, "ganflow.json"), "{ not json")
    expect((await failure(readRemotes(dir))).message).toContain("not valid JSON")
  })
})
