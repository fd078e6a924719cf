// Runs inside the temporary project, from plain Node ESM (no tsx, no source condition), against the installed
// tarballs: ClerkTest.layer in-process, then ClerkClient over HTTP against the package's own `clerk-emulator` bin.
import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
import { ClerkTest } from "@effect-clerk/testing"
import { User, Users } from "@effect-clerk/users"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Option, Redacted } from "effect"
import * as assert from "node:assert/strict"
import { spawn } from "node:child_process"

const roundTrip = Effect.gen(function*() {
  const created = yield* Users.create({ emailAddress: ["ada@example.com"], firstName: "Ada" })
  const fetched = yield* Users.get(created.id)
  assert.equal(fetched.id, created.id)
  assert.deepEqual(Option.map(User.primaryEmailAddress(fetched), (e) => e.emailAddress), Option.some("ada@example.com"))
  assert.equal(yield* Users.count(), 1)
  return fetched.id
})

await Effect.runPromise(roundTrip.pipe(Effect.provide(ClerkTest.layerWith({ stack: ClerkRetry.layer() }))))
console.log("ClerkTest.layer: create, get, count ok")

const bin = spawn("node_modules/.bin/clerk-emulator", ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
let output = ""
bin.stdout.on("data", (chunk) => (output += chunk))
const exited = new Promise((resolve) => bin.once("exit", (code) => resolve(code)))
const started = Date.now()
while (!/CLERK_SECRET_KEY=\S+/.test(output)) {
  if (Date.now() - started > 60_000 || bin.exitCode !== null) throw new Error(`clerk-emulator did not start: ${output}`)
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const apiUrl = /CLERK_API_URL=(\S+)/.exec(output)[1]
const key = /CLERK_SECRET_KEY=(\S+)/.exec(output)[1]
const live = ClerkClient.layer({ secretKey: Redacted.make(key), apiUrl }).pipe(Layer.provide(FetchHttpClient.layer))
await Effect.runPromise(roundTrip.pipe(Effect.provide(live)))
console.log(`clerk-emulator at ${apiUrl}: create, get, count ok`)
bin.kill("SIGTERM")
assert.equal(await exited, 0)
console.log("clerk-emulator stopped on SIGTERM with exit code 0")

// `npx clerk-emulator` runs the bin under `npm exec` and `sh -c`: a SIGTERM to npx must still free the port.
const viaNpx = spawn("npx", ["--no-install", "clerk-emulator", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
let npxOutput = ""
viaNpx.stdout.on("data", (chunk) => (npxOutput += chunk))
const npxStarted = Date.now()
while (!/CLERK_API_URL=\S+/.test(npxOutput)) {
  if (Date.now() - npxStarted > 60_000) throw new Error(`npx clerk-emulator did not start: ${npxOutput}`)
  await new Promise((resolve) => setTimeout(resolve, 50))
}
const npxUrl = /CLERK_API_URL=(\S+)/.exec(npxOutput)[1]
viaNpx.kill("SIGTERM")
let freed = false
for (let i = 0; i < 100 && !freed; i++) {
  await new Promise((resolve) => setTimeout(resolve, 100))
  freed = await fetch(`${npxUrl}/__emulator/health`).then(() => false, () => true)
}
assert.ok(freed, "npx clerk-emulator still serving after SIGTERM")
console.log("npx clerk-emulator stopped on SIGTERM")
