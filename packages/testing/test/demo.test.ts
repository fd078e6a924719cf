/**
 * `pnpm demo` (examples/demo.ts) says what it talks to: the URL in CLERK_API_URL when it has a key, the embedded
 * emulator otherwise.
 */
import { EmulatorServer } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../../..")

/** Runs the demo with exactly these Clerk variables set (none inherited); resolves its output and exit code. */
const demo = (env: Readonly<Record<string, string>>) =>
  Effect.promise(() =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const { CLERK_API_URL: _url, CLERK_SECRET_KEY: _key, ...inherited } = process.env
      const child = spawn(
        process.execPath,
        ["--conditions=@effect-clerk/source", "--import", "tsx", "examples/demo.ts"],
        { cwd: root, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] }
      )
      let output = ""
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
      child.once("exit", (code) => resolve({ code, output }))
    })
  )

describe("pnpm demo", () => {
  it.live("with CLERK_API_URL and a key, names that URL and reads from it", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({
        port: 0,
        seed: { users: [{ emailAddress: ["demo-target@example.com"] }] }
      })
      const { code, output } = yield* demo({ CLERK_API_URL: server.url, CLERK_SECRET_KEY: server.secretKey })
      expect(code).toBe(0)
      expect(output.split("\n")[0]).toBe(
        `CLERK_SECRET_KEY is set: running the read-only part against ${server.url} (CLERK_API_URL).`
      )
      expect(output).not.toContain("the Clerk API")
      expect(output).toContain("demo-target@example.com")
    })), 120_000)

  it.live(
    "with CLERK_API_URL but no key, says it runs the embedded emulator and ignores the URL",
    () =>
      Effect.gen(function*() {
        const { code, output } = yield* demo({ CLERK_API_URL: "http://127.0.0.1:9" })
        expect(code).toBe(0)
        expect(output.split("\n")[0]).toBe(
          "effect-clerk demo, against the embedded Clerk emulator (CLERK_API_URL is ignored without CLERK_SECRET_KEY)."
        )
      }),
    120_000
  )
})
