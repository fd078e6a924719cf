/**
 * `node --conditions=@effect-clerk/source --import tsx bench/profile-throughput.ts [undici|fetch|both]`:
 * `Users.get` of the benchmarks' rich user against the emulator server in a child process over loopback, 8 in
 * flight, the SDK side by side with the raw client it runs on (interleaved rounds; calls/s and ratios). With
 * `PROFILE_DIR=dir`, also a CPU profile (node:inspector, this process only) of the SDK's calls on each transport,
 * written as `dir/<name>.cpuprofile`. With `BEFORE=/path/to/another/checkout` (installed), the SDK of that checkout
 * runs too, in the same rounds ("before undici", "before fetch"): a before/after measured side by side.
 */
import { ClerkClient } from "@effect-clerk/core"
import { Users } from "@effect-clerk/users"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientModule from "@effect/platform/HttpClient"
import * as EffectModule from "effect/Effect"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import * as path from "node:path"
import { request as undiciRequest } from "undici"
import { richUser } from "./fixtures.js"
import { startServer } from "./server.js"

const which = process.argv[2] ?? "both"
const N = Number(process.env["N"] ?? 1500)
const ROUNDS = Number(process.env["ROUNDS"] ?? 5)
const C = 8

const { child, ...server } = await startServer()
try {
  const seeded = await fetch(`${server.url}/__emulator/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ users: Array.from({ length: 20 }, (_, i) => richUser(i)) })
  })
  const id = ((await seeded.json()) as { users: Array<string> }).users[0]!
  const url = `${server.url}/v1/users/${id}`
  const headers = { authorization: `Bearer ${server.key}`, accept: "application/json" }
  const sdk = (http: Layer.Layer<HttpClient.HttpClient>) =>
    ManagedRuntime.make(
      ClerkClient.layer({ secretKey: Redacted.make(server.key), apiUrl: server.url }).pipe(Layer.provide(http))
    )
  const overUndici = sdk(NodeHttpClient.layerUndici)
  const overFetch = sdk(FetchHttpClient.layer)
  const all: Record<string, () => Promise<unknown>> = {
    "raw undici": async () => (await undiciRequest(url, { headers })).body.json(),
    "SDK undici": () => overUndici.runPromise(Users.get(id)),
    "raw fetch": async () => (await fetch(url, { headers })).json(),
    ...(process.env["SIGNAL"] === undefined ? {} : {
      "signal+raw undici": async () =>
        (await undiciRequest(url, { headers, signal: new AbortController().signal })).body.json(),
      "signal+raw fetch": async () => (await fetch(url, { headers, signal: new AbortController().signal })).json()
    }),
    "SDK fetch": () => overFetch.runPromise(Users.get(id))
  }
  if (process.env["PLATFORM"] !== undefined) {
    // the platform's HttpClient alone (no SDK): what any Effect app pays on the same transport
    const platform = (http: Layer.Layer<HttpClient.HttpClient>) => ManagedRuntime.make(http)
    const onUndici = platform(NodeHttpClient.layerUndici)
    const onFetch = platform(FetchHttpClient.layer)
    const get = HttpClientModule.get(url, { headers }).pipe(EffectModule.flatMap((response) => response.json))
    all["platform undici"] = () => onUndici.runPromise(get)
    all["platform fetch"] = () => onFetch.runPromise(get)
  }
  if (process.env["CLERK"] !== undefined) {
    // @clerk/backend's users.getUser (fetch underneath), compared with the raw fetch it runs on
    const { createClerkClient } = await import("@clerk/backend")
    const clerk = createClerkClient({ secretKey: server.key, apiUrl: server.url })
    all["@clerk/backend fetch"] = () => clerk.users.getUser(id)
  }
  const before = process.env["BEFORE"]
  const disposals: Array<() => Promise<void>> = [() => overUndici.dispose(), () => overFetch.dispose()]
  if (before !== undefined) {
    type Module = Record<string, Record<string, (...args: ReadonlyArray<unknown>) => unknown>>
    const core = (await import(path.join(before, "packages/core/src/index.ts"))) as Module
    const users = (await import(path.join(before, "packages/users/src/index.ts"))) as Module
    const old = (http: Layer.Layer<HttpClient.HttpClient>) =>
      ManagedRuntime.make(
        Layer.provide(
          core["ClerkClient"]!["layer"]!({ secretKey: Redacted.make(server.key), apiUrl: server.url }) as Layer.Layer<
            never
          >,
          http
        )
      )
    const oldUndici = old(NodeHttpClient.layerUndici)
    const oldFetch = old(FetchHttpClient.layer)
    const get = users["Users"]!["get"]!
    all["before undici"] = () => oldUndici.runPromise(get(id) as Effect.Effect<unknown>)
    all["before fetch"] = () => oldFetch.runPromise(get(id) as Effect.Effect<unknown>)
    disposals.push(() => oldUndici.dispose(), () => oldFetch.dispose())
  }
  const names = Object.keys(all).filter((name) => which === "both" || name.endsWith(which))
  const cpu = new Map<string, Array<number>>(names.map((name) => [name, []]))
  const throughput = async (n: number, call: () => Promise<unknown>, name?: string) => {
    let next = 0
    const start = performance.now()
    const cpu0 = process.cpuUsage()
    await Promise.all(Array.from({ length: C }, async () => {
      while (next < n) {
        next++
        await call()
      }
    }))
    const used = process.cpuUsage(cpu0)
    if (name !== undefined) cpu.get(name)!.push((used.user + used.system) / n)
    return n / ((performance.now() - start) / 1000)
  }
  for (const name of names) await throughput(300, all[name]!)
  if (process.env["CONNECTIONS"] !== undefined) {
    const { channel } = await import("node:diagnostics_channel")
    let connected = 0
    channel("undici:client:connected").subscribe(() => connected++)
    for (const name of names) {
      connected = 0
      await throughput(N, all[name]!)
      console.log(`${name}: ${connected} new connections in ${N} calls`)
    }
  }
  const results = new Map<string, Array<number>>(names.map((name) => [name, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!
      results.get(name)!.push(await throughput(N, all[name]!, name))
    }
  }
  const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const [name, xs] of results) {
    const raw = median(
      results.get(name.replace(/SDK|before|platform|@clerk\/backend/, "raw").replace("signal+", "")) ?? xs
    )
    console.log(
      `${name.padEnd(14)} ${median(xs).toFixed(0).padStart(6)} calls/s  ${(median(xs) / raw).toFixed(2)}× raw  ${
        median(cpu.get(name)!).toFixed(0).padStart(5)
      } µs CPU/call   [${xs.map((x) => x.toFixed(0)).join(" ")}]`
    )
  }
  const dir = process.env["PROFILE_DIR"]
  if (dir !== undefined) {
    fs.mkdirSync(dir, { recursive: true })
    for (const name of names) {
      const session = new Session()
      session.connect()
      await session.post("Profiler.enable")
      await session.post("Profiler.setSamplingInterval", { interval: 100 })
      await session.post("Profiler.start")
      const cpu0 = process.cpuUsage()
      await throughput(N * 2, all[name]!)
      const used = process.cpuUsage(cpu0)
      const { profile } = await session.post("Profiler.stop")
      session.disconnect()
      const file = path.join(dir, `${name.replace(/\W+/g, "-")}.cpuprofile`)
      fs.writeFileSync(file, JSON.stringify(profile))
      console.log(`${name}: ${((used.user + used.system) / (N * 2)).toFixed(1)} µs CPU per call; ${file}`)
    }
  }
  for (const dispose of disposals) await dispose()
} finally {
  child.kill("SIGTERM")
}
