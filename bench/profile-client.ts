/**
 * `node --cpu-prof --conditions=@effect-clerk/source --import tsx bench/profile-client.ts [get|list|both]`:
 * many `Users.get` (one user) and 500-user `Users.list` pages against a canned `HttpClient` (no network), for a
 * CPU profile of the SDK's client-side work. Prints µs per call.
 */
import { ClerkClient } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import { richUser } from "./fixtures.js"
import { profileCalls } from "./profile.js"

const what = process.argv[2] ?? "both"

const bodies = await Effect.runPromise(
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator
    const { users } = yield* emulator.seed({ users: Array.from({ length: 500 }, (_, i) => richUser(i)) })
    const auth = { authorization: `Bearer ${emulator.secretKey}` }
    const one = yield* emulator.handle(new Request(`http://x/v1/users/${users[0]!.id}`, { headers: auth }))
    const page = yield* emulator.handle(new Request("http://x/v1/users?limit=500", { headers: auth }))
    return { one: yield* Effect.promise(() => one.text()), page: yield* Effect.promise(() => page.text()) }
  }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false, validateResponses: false } })))
)

const canned = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.succeed(
      HttpClientResponse.fromWeb(
        request,
        new Response(request.url.endsWith("/users") ? bodies.page : bodies.one, { status: 200 })
      )
    )
  )
)
const runtime = ManagedRuntime.make(
  ClerkClient.layer({ secretKey: Redacted.make("sk_test_profile"), apiUrl: "http://profile" }).pipe(
    Layer.provide(canned)
  )
)
const dir = process.env["PROFILE_DIR"]
if (dir !== undefined) fs.mkdirSync(dir, { recursive: true })
const report = async (label: string, n: number, f: () => Promise<unknown>) => {
  const file = dir === undefined ? {} : { file: `${dir}/${label.replace(/\W+/g, "-")}.cpuprofile` }
  const { cpu, idle, perCall, total, wall } = await profileCalls(n, f, { ...file, warmup: Math.min(200, n) })
  console.log(`${label}: ${wall.toFixed(1)} µs/call wall, ${cpu.toFixed(1)} µs CPU (${n} calls)`)
  for (const [name, us] of perCall) if (us > 0) console.log(`  ${us.toFixed(1).padStart(8)} µs  ${name}`)
  console.log(`  ${idle.toFixed(1).padStart(8)} µs  idle / waiting`)
  console.log(`  ${total.toFixed(1).padStart(8)} µs  sum of the rows`)
}
const parse = async (label: string, n: number, text: string) => {
  for (let i = 0; i < Math.min(n, 100); i++) JSON.parse(await new Response(text).text())
  const start = performance.now()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < n; i++) JSON.parse(await new Response(text).text())
  const used = process.cpuUsage(cpu0)
  console.log(
    `${label}: ${(((performance.now() - start) / n) * 1000).toFixed(1)} µs/call wall, ${
      ((used.user + used.system) / n).toFixed(1)
    } µs CPU`
  )
}
console.log(`user ${(bodies.one.length / 1024).toFixed(1)} KB, page ${(bodies.page.length / 1024).toFixed(0)} KB`)
if (what !== "list") {
  await parse("Response.text()+JSON.parse (user)", 5000, bodies.one)
  await report("Users.get", Number(process.env["N"] ?? 5000), () => runtime.runPromise(Users.get("user_1")))
}
if (what !== "get") {
  await parse("Response.text()+JSON.parse (page)", 40, bodies.page)
  await report("Users.list (500)", Number(process.env["M"] ?? 40), () => runtime.runPromise(Users.list({ limit: 500 })))
}
await runtime.dispose()
