import { describe, expect, it } from "vitest"
import { isRemoteCommand, parseRemoteArguments } from "../src/remote-arguments.ts"

describe("remote-cache command lines", () => {
  it("are told apart from pipeline commands, option values included", () => {
    expect(isRemoteCommand(["push", "lab"])).toBe(true)
    expect(isRemoteCommand(["--store", "/s", "pull", "lab"])).toBe(true)
    expect(isRemoteCommand(["gc", "--remote", "lab"])).toBe(true)
    expect(isRemoteCommand(["gc", "--keep-latest"])).toBe(false)
    expect(isRemoteCommand(["run", "push"])).toBe(false)
    expect(isRemoteCommand(["--store", "push", "run", "p"])).toBe(false)
  })
  it("parse each command and refuse options that do not apply", () => {
    expect(parseRemoteArguments(["remote", "add", "lab", "s3://b/p", "--endpoint", "http://m:9000", "--region", "eu-west-1"])).toEqual({
      command: "remote-add", name: "lab", url: "s3://b/p", endpoint: "http://m:9000", region: "eu-west-1", check: true,
    })
    expect(parseRemoteArguments(["remote", "add", "lab", "file:///n", "--no-check"])).toMatchObject({ check: false })
    expect(parseRemoteArguments(["remote"])).toEqual({ command: "remote-list" })
    expect(parseRemoteArguments(["pull", "lab", "20261204-run", "--store", "/s"])).toEqual({ command: "pull", remote: "lab", run: "20261204-run", store: "/s" })
    expect(parseRemoteArguments(["gc", "--remote", "lab", "--grace-hours", "0.5"])).toEqual({ command: "remote-gc", remote: "lab", graceHours: 0.5 })
    expect(() => parseRemoteArguments(["push"])).toThrow("usage: ganflow push <remote>")
    expect(() => parseRemoteArguments(["push", "lab", "--endpoint", "x"])).toThrow("--endpoint does not apply here")
    expect(() => parseRemoteArguments(["remote", "rename", "a"])).toThrow('unknown remote command "rename"')
    expect(() => parseRemoteArguments(["gc", "--remote", "lab", "--grace-hours", "soon"])).toThrow("--grace-hours must be")
  })
})
