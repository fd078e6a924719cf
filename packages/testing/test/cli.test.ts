/**
 * The `clerk-emulator` CLI (`pnpm emulator` in the repo): prints the base URL and the key, serves, refuses what it
 * does not understand, and shuts down cleanly on SIGTERM and SIGINT, also when started through `pnpm emulator`.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it, vi } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as Cli from "../src/internal/cli.js"

const root = path.resolve(import.meta.dirname, "../../..")
const bin = ["--conditions=@effect-clerk/source", "--import", "tsx", "packages/testing/src/bin/emulator.ts"]

const start = (args: ReadonlyArray<string>, command: { file: string; args: ReadonlyArray<string> } = {
  file: process.execPath,
  args: bin
}) => {
  const child = spawn(command.file, [...command.args, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const ready = new Promise<{ url: string; key: string }>((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /CLERK_API_URL=(\S+)/.exec(output)?.[1]
      const key = /CLERK_SECRET_KEY=(\S+)/.exec(output)?.[1]
      if (url !== undefined && key !== undefined) {
        clearInterval(timer)
        resolve({ url, key })
      }
    }, 50)
    child.once("exit", (code) => {
      clearInterval(timer)
      reject(new Error(`exited with ${code}: ${output}`))
    })
  })
  ready.catch(() => undefined) // awaited where the test expects the server to start
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return { child, ready, exited, output: () => output }
}

const seedFile = (seed: unknown) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "clerk-seed-")), "seed.json")
  fs.writeFileSync(file, typeof seed === "string" ? seed : JSON.stringify(seed))
  return file
}

/** Resolves true when something can listen on the port again (nobody holds it). */
const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)))
  })

/** Waits until `check` holds, polling (the server may need a moment after its parent is gone). */
const eventually = async (check: () => Promise<boolean>, attempts = 100) => {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

// Each spawned emulator loads the sources through tsx, the spec and its validator first: seconds, many on a busy
// machine, hence the long timeouts (one at a time: side by side they only compete for the same cores).
describe("clerk-emulator", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`serves with --seed, then stops cleanly on ${signal} and frees the port`, async () => {
      const server = start([
        "--port",
        "0",
        "--seed",
        seedFile({ users: [{ emailAddress: ["seeded@x.co"], firstName: "Seeded" }] })
      ])
      const { key, url } = await server.ready
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${url}/v1/users`, { headers: { authorization: `Bearer ${key}` } })
      expect(((await response.json()) as Array<{ first_name: string }>).map((u) => u.first_name)).toEqual(["Seeded"])
      server.child.kill(signal)
      expect(await server.exited).toBe(0)
      expect(await portIsFree(Number(new URL(url).port))).toBe(true)
    }, 120_000)
  }

  it("stops on SIGTERM sent to `pnpm emulator` (the server does not outlive pnpm)", async () => {
    const server = start(["--port", "0"], { file: "pnpm", args: ["--silent", "emulator"] })
    const { url } = await server.ready
    const port = Number(new URL(url).port)
    expect(await portIsFree(port)).toBe(false)
    server.child.kill("SIGTERM")
    await server.exited
    expect(await eventually(() => portIsFree(port))).toBe(true)
  }, 120_000)

  it("exits with 1 on a misspelt flag", async () => {
    const run = start(["--prot", "9000"])
    expect(await run.exited).toBe(1)
    expect(run.output()).toContain("--prot")
  }, 120_000)

  it("says an option needs its value in one line (exit 1, no stack)", async () => {
    const run = start(["--port"])
    expect(await run.exited).toBe(1)
    expect(run.output()).toBe("clerk-emulator: --port needs a value: a port number 0–65535\n")
  }, 120_000)

  it("prints --help without colour codes when stdout is piped", async () => {
    const run = start(["--help"])
    expect(await run.exited).toBe(0)
    expect(run.output()).toContain("USAGE")
    expect(run.output()).not.toContain("\u001b")
  }, 120_000)
})

describe("clerk-emulator colours", () => {
  it("colours only a terminal, and never when NO_COLOR is set or TERM is dumb", () => {
    expect(Cli.colorsEnabled({ isTTY: true }, {})).toBe(true)
    expect(Cli.colorsEnabled({ isTTY: false }, {})).toBe(false)
    expect(Cli.colorsEnabled({}, {})).toBe(false)
    expect(Cli.colorsEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(Cli.colorsEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true) // no-color.org: set and not empty
    expect(Cli.colorsEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false)
  })
})

// The same command in-process (spawning a process per case costs seconds): a failure here is exit code 1 in the bin.
describe("clerk-emulator arguments", () => {
  // output: what the command printed, then a CliError's message as the bin prints it
  const run = (args: ReadonlyArray<string>, colors = { stdout: false, stderr: false }) =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const capture = (...parts: ReadonlyArray<unknown>) => void lines.push(parts.map(String).join(" "))
      const log = vi.spyOn(console, "log").mockImplementation(capture)
      const error = vi.spyOn(console, "error").mockImplementation(capture)
      const exit = yield* Cli.run(["node", "clerk-emulator", ...args], { colors }).pipe(
        Effect.timeout("5 seconds"), // a command that starts serving never ends
        Effect.provide(NodeContext.layer),
        Effect.exit,
        Effect.ensuring(Effect.sync(() => (log.mockRestore(), error.mockRestore())))
      )
      const failure = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      if (failure instanceof Cli.CliError) lines.push(`clerk-emulator: ${failure.message}`)
      return { exit, output: lines.join("\n") }
    })

  it.live("--help is plain without colours, coloured (by @effect/cli) with them", () =>
    Effect.gen(function*() {
      const plain = yield* run(["--help"])
      expect(plain.output).toContain("USAGE")
      expect(plain.output).not.toContain("\u001b")
      const coloured = yield* run(["--help"], { stdout: true, stderr: false })
      expect(coloured.output).toContain("\u001b[")
      expect(coloured.output.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain.output)
    }))

  it.live("--help lists every option", () =>
    Effect.gen(function*() {
      const { exit, output } = yield* run(["--help"])
      expect(Exit.isSuccess(exit)).toBe(true)
      for (
        const option of ["--port", "--host", "--seed", "--no-rate-limit", "--no-validate", "--webhook", "--version"]
      ) {
        expect(output).toContain(option)
      }
    }))

  it.live("--version prints the package's version", () =>
    Effect.gen(function*() {
      const { exit, output } = yield* run(["--version"])
      expect(Exit.isSuccess(exit)).toBe(true)
      const pkg = JSON.parse(fs.readFileSync(path.join(root, "packages/testing/package.json"), "utf8")) as {
        version: string
      }
      expect(output.trim()).toBe(pkg.version)
    }))

  const missing = fs.mkdtempSync(path.join(os.tmpdir(), "clerk-seed-"))
  for (
    const [name, args, message] of [
      ["a misspelt flag", ["--prot", "9000"], "clerk-emulator: unknown option --prot (did you mean --port?)"],
      ["a flag in the wrong case", ["--PORT", "0"], "clerk-emulator: unknown option --PORT (did you mean --port?)"],
      ["an unknown flag", ["--verbose"], "clerk-emulator: unknown option --verbose (clerk-emulator --help lists them)"],
      ["--port without its value", ["--port"], "clerk-emulator: --port needs a value: a port number 0–65535"],
      ["--port= without its value", ["--port="], "clerk-emulator: --port needs a value: a port number 0–65535"],
      ["--port followed by a flag", ["--port", "--no-validate"], "clerk-emulator: --port needs a value"],
      ["--host without its value", ["--port", "0", "--host"], "clerk-emulator: --host needs a value: an address"],
      ["--seed without its value", ["--port", "0", "--seed"], "clerk-emulator: --seed needs a value: a JSON file"],
      ["--webhook without its value", ["--port", "0", "--webhook"], "clerk-emulator: --webhook needs a value: a URL"],
      ["--port given twice", ["--port", "0", "--port", "1"], "clerk-emulator: --port is given twice"],
      ["a stray argument", ["serve"], "clerk-emulator: unexpected argument 'serve' (clerk-emulator takes options only"],
      ["a stray argument after a switch's value", ["--no-validate", "false", "x"], "unexpected argument 'x'"],
      ["a port out of range", ["--port", "99999"], "clerk-emulator: --port needs a port number 0–65535, not '99999'"],
      ["a negative port", ["--port", "-1"], "clerk-emulator: --port needs a port number 0–65535, not '-1'"],
      ["a port that is not a number", ["--port", "eighty"], "--port needs a port number 0–65535, not 'eighty'"],
      ["a fractional port", ["--port=1.5"], "clerk-emulator: --port needs a port number 0–65535, not '1.5'"],
      ["a port in exponent notation", ["--port", "1e3"], "--port needs a port number 0–65535, not '1e3'"],
      ["a port in hexadecimal", ["--port", "0x10"], "--port needs a port number 0–65535, not '0x10'"],
      [
        "a shell it has no completions for",
        ["--completions", "cmd"],
        "--completions needs a shell: sh, bash, fish or zsh, not 'cmd'"
      ],
      ["an unknown log level", ["--log-level=loud"], "clerk-emulator: --log-level needs a level: all, trace,"],
      ["a seed file that does not exist", ["--port", "0", "--seed", path.join(missing, "nope.json")], "no such file"],
      ["a seed path that is a directory", ["--port", "0", "--seed", missing], "cannot read it"]
    ] as const
  ) {
    it.live(`refuses ${name} in one line`, () =>
      Effect.gen(function*() {
        const { exit, output } = yield* run(args)
        expect(Exit.isFailure(exit)).toBe(true)
        expect(output).toContain(message)
        expect(output.trim()).not.toContain("\n")
        expect(output).not.toContain("CLERK_API_URL")
      }))
  }

  it.live("names the seed file that does not exist", () =>
    Effect.gen(function*() {
      const file = path.join(missing, "nope.json")
      const { output } = yield* run(["--port", "0", "--seed", file])
      expect(output).toBe(`clerk-emulator: --seed ${file}: no such file`)
    }))

  it.live("refuses a seed with a misspelt key, naming the user and the key", () =>
    Effect.gen(function*() {
      const file = seedFile({ users: [{ emailAddress: ["a@x.co"] }, { email: ["b@x.co"] }] })
      const { exit } = yield* run(["--port", "0", "--seed", file])
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toBeInstanceOf(Cli.CliError)
      expect(String(error)).toContain("users[1].email")
      expect(String(error).length).toBeLessThan(2_000)
    }))

  it.live("refuses a seed that breaks the API's uniqueness rules, naming the user and the field", () =>
    Effect.gen(function*() {
      const file = seedFile({ users: [{ emailAddress: ["a@x.co"] }, { emailAddress: ["A@x.co"] }] })
      const { exit } = yield* run(["--port", "0", "--seed", file])
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toBeInstanceOf(Cli.CliError)
      expect(String(error)).toContain(`--seed ${file}: users[1].emailAddress`)
    }))

  it.live("refuses a seed giving one user id twice, naming users[1].id", () =>
    Effect.gen(function*() {
      const file = seedFile({ users: [{ id: "user_a", firstName: "A" }, { id: "user_a", firstName: "B" }] })
      const { exit } = yield* run(["--port", "0", "--seed", file])
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toBeInstanceOf(Cli.CliError)
      expect(String(error)).toContain(`--seed ${file}: users[1].id`)
    }))

  it.live("accepts examples/seed.json", () =>
    Effect.gen(function*() {
      const seed = yield* Cli.readSeed(path.join(root, "examples/seed.json")).pipe(Effect.provide(NodeContext.layer))
      expect(seed.users?.length).toBeGreaterThan(0)
    }))

  it.live("refuses a seed file that is not JSON", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(["--port", "0", "--seed", seedFile("{ users: [")])
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toBeInstanceOf(Cli.CliError)
      expect(String(error)).toContain("is not JSON")
    }))

  it.live("says a seed file that is not JSON in one line, whatever the parser quotes", () =>
    Effect.gen(function*() {
      const { exit, output } = yield* run(["--port", "0", "--seed", seedFile("not json\nat all\n")])
      expect(Exit.isFailure(exit)).toBe(true)
      expect(output).toMatch(/^clerk-emulator: --seed \S+ is not JSON: /)
      expect(output).not.toContain("\n")
    }))

  it.live("--webhook (repeatable) adds the endpoints and prints their one CLERK_WEBHOOK_SIGNING_SECRET", () =>
    Effect.gen(function*() {
      const { output } = yield* run([
        "--port",
        "0",
        "--webhook",
        "http://127.0.0.1:9/a",
        "--webhook",
        "http://127.0.0.1:9/b"
      ])
      expect(output).toMatch(/CLERK_WEBHOOK_SIGNING_SECRET=whsec_[A-Za-z0-9+/]{32}\n/)
      expect(output.match(/CLERK_WEBHOOK_SIGNING_SECRET/g)).toHaveLength(1)
    }))

  it.live("refuses a --webhook that is not an http(s) URL", () =>
    Effect.gen(function*() {
      const { exit } = yield* run(["--port", "0", "--webhook", "ftp://example.com/hook"])
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toBeInstanceOf(Cli.CliError)
      expect(String(error)).toContain("ftp:")
    }))
})
