/**
 * `pnpm emulator`: prints the base URL and the key, serves, and shuts down cleanly on SIGTERM and SIGINT.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../../..")

const start = (args: ReadonlyArray<string>) => {
  const child = spawn(
    process.execPath,
    ["--conditions=@effect-clerk/source", "--import", "tsx", "packages/testing/src/bin/emulator.ts", ...args],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] }
  )
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

describe("pnpm emulator", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`serves with --seed, then stops cleanly on ${signal}`, async () => {
      const seedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "clerk-seed-")), "seed.json")
      fs.writeFileSync(seedFile, JSON.stringify({ users: [{ emailAddress: ["seeded@x.co"], firstName: "Seeded" }] }))
      const server = start(["--port", "0", "--seed", seedFile])
      const { url, key } = await server.ready
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${url}/v1/users`, { headers: { authorization: `Bearer ${key}` } })
      expect(((await response.json()) as Array<{ first_name: string }>).map((u) => u.first_name)).toEqual(["Seeded"])
      server.child.kill(signal)
      expect(await server.exited).toBe(0)
      await expect(fetch(`${url}/__emulator/health`)).rejects.toThrow()
    }, 30_000)
  }

  it("refuses a bad --port with a message and a non-zero exit", async () => {
    const server = start(["--port", "99999"])
    expect(await server.exited).toBe(1)
    expect(server.output()).toContain("--port must be 0..65535")
  }, 30_000)
})
