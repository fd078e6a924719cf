/**
 * `pnpm bench`: the benchmarks of issue "Proof", measured side by side in one run, written to bench/RESULTS.md.
 * Absolute numbers drift on a shared 2-core machine: read the ratios, which are measured in interleaved rounds
 * (every contender once per round, rotated order) and reported as medians over the rounds.
 */
import { createClerkClient } from "@clerk/backend"
import { ClerkClient, ClerkRateLimit, Codec, Endpoint } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Models, Users, UsersApi } from "@effect-clerk/users"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as zlib from "node:zlib"
import { request as undiciRequest } from "undici"
import { rawHandlerOf } from "../packages/testing/src/internal/raw.js"
import { gzipShares } from "./bundleShare.js"
import { richUser } from "./fixtures.js"
import { profileCalls } from "./profile.js"
import { startServer } from "./server.js"

const root = path.resolve(import.meta.dirname, "..")
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5)
/** Section 1 (loopback throughput) swings most with the machine's load: more, shorter rounds. */
const ROUNDS1 = Number(process.env["BENCH_ROUNDS"] ?? 7)
const out: Array<string> = []
const log = (line = "") => {
  out.push(line)
  console.log(line)
}
const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const now = () => performance.now()

/** Runs `n` calls with `concurrency` in flight; returns calls per second. */
const throughput = async (n: number, concurrency: number, call: () => Promise<unknown>) => {
  let next = 0
  const start = now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++
      await call()
    }
  }))
  return n / ((now() - start) / 1000)
}

/** Interleaved rounds: each contender once per round, order rotated; returns the median of each. */
const rounds = async (contenders: ReadonlyArray<readonly [string, () => Promise<number>]>) => {
  const results = new Map<string, Array<number>>(contenders.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const [name, run] = contenders[(i + r) % contenders.length]!
      results.get(name)!.push(await run())
    }
  }
  return new Map([...results].map(([name, xs]) => [name, median(xs)]))
}

// ---------------------------------------------------------------------------------------------------------------
const seedOver = async (url: string, users: ReadonlyArray<unknown>) => {
  const response = await fetch(`${url}/__emulator/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ users })
  })
  return ((await response.json()) as { users: Array<string> }).users
}

// ---------------------------------------------------------------------------------------------------------------

const versions = () => {
  const version = (name: string) => {
    try {
      const file = path.join(root, "node_modules", name, "package.json")
      return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version
    } catch {
      return "?"
    }
  }
  return [
    "effect",
    "@effect/platform",
    "@effect/platform-node",
    "@effect/experimental",
    "@clerk/backend",
    "undici",
    "esbuild"
  ]
    .map((name) => `${name} ${version(name)}`)
    .join(", ")
}

const section1 = async (server: { readonly url: string; readonly key: string }) => {
  log("## 1. Throughput against the same emulator server over loopback")
  log()
  const ids = await seedOver(server.url, Array.from({ length: 200 }, (_, i) => richUser(i)))
  const id = ids[0]!
  const headers = { authorization: `Bearer ${server.key}`, accept: "application/json" }
  const clientLayer = (http: Layer.Layer<HttpClient.HttpClient>) =>
    ClerkClient.layer({ secretKey: Redacted.make(server.key), apiUrl: server.url }).pipe(Layer.provide(http))
  const sdkFetch = ManagedRuntime.make(clientLayer(FetchHttpClient.layer))
  const sdkUndici = ManagedRuntime.make(clientLayer(NodeHttpClient.layerUndici))
  const clerk = createClerkClient({ secretKey: server.key, apiUrl: server.url })
  const N = Number(process.env["BENCH_N"] ?? 1500)
  const C = 8
  const results: Array<readonly [string, Awaited<ReturnType<typeof pairedRounds>>]> = []
  type Case = readonly [
    what: string,
    calls: number,
    sdk: () => Effect.Effect<unknown, unknown, ClerkClient>,
    raw: (base: string) => string,
    official: () => Promise<unknown>
  ]
  const cases: ReadonlyArray<Case> = [
    [
      "Users.get",
      N,
      () => Users.get(id),
      (base: string) => `${base}/v1/users/${id}`,
      () => clerk.users.getUser(id)
    ],
    [
      "Users.list (limit 100)",
      Math.max(50, Math.round(N / 10)),
      () => Users.list({ limit: 100 }),
      (base: string) => `${base}/v1/users?limit=100`,
      () => clerk.users.getUserList({ limit: 100 })
    ]
  ]
  const platformFetch = ManagedRuntime.make(FetchHttpClient.layer)
  const platformUndici = ManagedRuntime.make(NodeHttpClient.layerUndici)
  for (const [what, n, sdk, raw, official] of cases) {
    const url = raw(server.url)
    const platformGet = HttpClient.get(url, { headers }).pipe(Effect.flatMap((response) => response.json))
    const calls: ReadonlyArray<readonly [string, () => Promise<unknown>]> = [
      ["raw undici (request + JSON.parse)", async () => {
        const r = await undiciRequest(url, { headers })
        return r.body.json()
      }],
      ["raw fetch (fetch + json())", async () => {
        const r = await fetch(url, { headers })
        return r.json()
      }],
      ["platform HttpClient alone, undici", () => platformUndici.runPromise(platformGet)],
      ["platform HttpClient alone, fetch", () => platformFetch.runPromise(platformGet)],
      ["SDK over undici", () => sdkUndici.runPromise(sdk())],
      ["SDK over fetch", () => sdkFetch.runPromise(sdk())],
      ["@clerk/backend", () => official()]
    ]
    for (const [, call] of calls) await throughput(Math.min(200, n), C, call) // warm-up: connections, JIT
    results.push([what, await pairedRounds(calls.map(([name, call]) => [name, () => throughput(n, C, call)]), n)])
  }
  await Promise.all([sdkFetch.dispose(), sdkUndici.dispose(), platformFetch.dispose(), platformUndici.dispose()])
  log(
    `${N} \`get\` and ${
      Math.max(50, Math.round(N / 10))
    } \`list\` calls per run, ${C} in flight, ${ROUNDS1} interleaved rounds (every client once per round, order ` +
      `rotated); calls/s and the client process's CPU per call are medians over the rounds; the ratio to raw undici ` +
      `is the median of the ratios taken within each round.`
  )
  log()
  log("| client | Users.get calls/s | ratio | client CPU µs / call | Users.list calls/s | ratio |")
  log("|---|---:|---:|---:|---:|---:|")
  const [get, list] = [results[0]![1], results[1]![1]]
  const base = "raw undici (request + JSON.parse)"
  for (const name of get.rate.keys()) {
    log(
      `| ${name} | ${fmt(get.rate.get(name)!)} | ${fmt(get.ratio(name, base).median, 2)}× | ${
        fmt(get.cpu.get(name)!)
      } | ${fmt(list.rate.get(name)!)} | ${fmt(list.ratio(name, base).median, 2)}× |`
    )
  }
  log()
  log(
    "`@clerk/backend`'s `getUserList` sends two requests per call (the page and a count); the SDK sends one. " +
      "\"platform HttpClient alone\" is `HttpClient.get` + `json` on the same transport without the SDK: what any " +
      "Effect app pays."
  )
  log()
  return { get, list }
}

/**
 * Section 1's rounds: like `rounds`, and also the client process's CPU per call of each run and every round's
 * values kept, so a ratio between two clients is taken within each round (the same minute of a shared machine)
 * and reported as the median over rounds with its range.
 */
const pairedRounds = async (
  contenders: ReadonlyArray<readonly [string, () => Promise<number>]>,
  calls: number
) => {
  const rates = new Map<string, Array<number>>(contenders.map(([name]) => [name, []]))
  const cpus = new Map<string, Array<number>>(contenders.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS1; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const [name, run] = contenders[(i + r) % contenders.length]!
      const cpu0 = process.cpuUsage()
      rates.get(name)!.push(await run())
      const used = process.cpuUsage(cpu0)
      cpus.get(name)!.push((used.user + used.system) / calls)
    }
  }
  const ratio = (name: string, to: string) => {
    const xs = rates.get(name)!.map((x, r) => x / rates.get(to)![r]!)
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) }
  }
  return {
    rate: new Map([...rates].map(([name, xs]) => [name, median(xs)])),
    cpu: new Map([...cpus].map(([name, xs]) => [name, median(xs)])),
    ratio
  }
}

const section2 = async () => {
  log("## 2. Decoding a 500-user page")
  log()
  const layer = ClerkTest.layerWith({
    emulator: { rateLimit: false, validateResponses: false, validateRequests: false }
  })
  const text = await Effect.runPromise(
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      yield* emulator.seed({ users: Array.from({ length: 500 }, (_, i) => richUser(i)) })
      const response = yield* emulator.handle(
        new Request("http://x/v1/users?limit=500", { headers: { authorization: `Bearer ${emulator.secretKey}` } })
      )
      return yield* Effect.promise(() => response.text())
    }).pipe(Effect.provide(layer))
  )
  const decode = Schema.decodeUnknownSync(Schema.Array(Models.User))
  const compiled = Codec.decodeUnknownEither(Schema.Array(Models.User))
  const iterations = Number(process.env["BENCH_DECODE_N"] ?? 40)
  const time = (f: () => unknown) => async () => {
    const start = now()
    for (let i = 0; i < iterations; i++) f()
    return (now() - start) / iterations
  }
  for (let i = 0; i < 5; i++) decode(JSON.parse(text))
  for (let i = 0; i < 5; i++) compiled(JSON.parse(text))
  const result = await rounds([
    ["JSON.parse alone", time(() => JSON.parse(text))],
    ["JSON.parse + SDK schemas", time(() => decode(JSON.parse(text)))],
    ["JSON.parse + compiled codecs", time(() => compiled(JSON.parse(text)))]
  ])
  const parse = result.get("JSON.parse alone")!
  const full = result.get("JSON.parse + SDK schemas")!
  const fast = result.get("JSON.parse + compiled codecs")!
  log(
    `A ${
      fmt(text.length / 1024)
    } KB page of 500 users with emails, phones, passkeys, OAuth accounts and metadata; ms per page, median of ${ROUNDS} rounds of ${iterations}.`
  )
  log()
  log("| | ms / page | ratio |")
  log("|---|---:|---:|")
  log(`| JSON.parse alone | ${fmt(parse, 2)} | 1.00× |`)
  log(`| JSON.parse + Schema.decodeUnknown (interpreted) | ${fmt(full, 2)} | ${fmt(full / parse, 2)}× |`)
  log(`| JSON.parse + compiled codecs (what the SDK runs) | ${fmt(fast, 2)} | ${fmt(fast / parse, 2)}× |`)
  log()
  return fast / parse
}

const sectionBreakdown = async () => {
  log("### Where the SDK's time per call goes (client side only)")
  log()
  const text = await Effect.runPromise(
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: [richUser(7)] })
      const response = yield* emulator.handle(
        new Request(`http://x/v1/users/${users[0]!.id}`, { headers: { authorization: `Bearer ${emulator.secretKey}` } })
      )
      return yield* Effect.promise(() => response.text())
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } })))
  )
  const bytes = new TextEncoder().encode(text)
  const stubHttp = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, cannedResponse(bytes))))
  )
  const viaHttpClient = ManagedRuntime.make(
    ClerkClient.layer({ secretKey: Redacted.make("sk_test_bench"), apiUrl: "http://bench" }).pipe(
      Layer.provide(stubHttp)
    )
  )
  const config = await viaHttpClient.runPromise(Effect.map(ClerkClient, (c) => c.config))
  const stubExecute = ManagedRuntime.make(Layer.succeed(ClerkClient, {
    config,
    execute: () => Effect.succeed({ status: 200, headers: {}, body: text })
  }))
  const n = 3000
  const perCall = (f: () => Promise<unknown> | unknown) => async () => {
    for (let i = 0; i < 200; i++) await f()
    const start = now()
    for (let i = 0; i < n; i++) await f()
    return ((now() - start) / n) * 1000
  }
  const result = await rounds([
    ["JSON.parse of the body", perCall(() => JSON.parse(text))],
    [
      "+ schema decoding (decodeResponse)",
      perCall(() => Effect.runSync(Endpoint.decodeResponse(UsersApi.get, { status: 200, headers: {}, body: text }, 0)))
    ],
    [
      "+ encode, Effect runtime, span (execute stubbed)",
      perCall(() => stubExecute.runPromise(Endpoint.call(UsersApi.get, { path: ["user_1"] })))
    ],
    [
      "+ HttpClient, timeout, headers (HttpClient stubbed)",
      perCall(() => viaHttpClient.runPromise(Users.get("user_1")))
    ]
  ])
  await viaHttpClient.dispose()
  await stubExecute.dispose()
  log(
    `One user (${
      fmt(text.length / 1024, 1)
    } KB); microseconds per \`Users.get\`, each line including the ones above it; no network.`
  )
  log()
  log("| layer | µs / call |")
  log("|---|---:|")
  for (const [name, value] of result) log(`| ${name} | ${fmt(value, 1)} |`)
  log()
  return result
}

/**
 * A canned `HttpClient` (no network) answering `Users.get` with `one` and `Users.list` with `page`. It serves bytes
 * with their `Content-Length`, as a transport does: the body's bytes are made once, not encoded again from a string
 * on every call (which cost ~2.5 ms for the 1.6 MB page, more than half of `JSON.parse` of it).
 */
const cannedClient = (one: Uint8Array<ArrayBuffer>, page: Uint8Array<ArrayBuffer>) =>
  ManagedRuntime.make(
    ClerkClient.layer({ secretKey: Redacted.make("sk_test_bench"), apiUrl: "http://bench" }).pipe(
      Layer.provide(Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) => {
          const body = request.url.endsWith("/users") ? page : one
          return Effect.succeed(HttpClientResponse.fromWeb(request, cannedResponse(body)))
        })
      ))
    )
  )

const cannedResponse = (body: Uint8Array<ArrayBuffer>) =>
  new Response(body, { headers: { "content-type": "application/json", "content-length": String(body.length) } })

const sectionClientSide = async () => {
  log("### The SDK's client-side cost per call, side by side (canned `HttpClient`, no network)")
  log()
  const { one, page } = await Effect.runPromise(
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const { users } = yield* emulator.seed({ users: Array.from({ length: 500 }, (_, i) => richUser(i)) })
      const auth = { authorization: `Bearer ${emulator.secretKey}` }
      const get = yield* emulator.handle(new Request(`http://x/v1/users/${users[0]!.id}`, { headers: auth }))
      const list = yield* emulator.handle(new Request("http://x/v1/users?limit=500", { headers: auth }))
      return { one: yield* Effect.promise(() => get.text()), page: yield* Effect.promise(() => list.text()) }
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { validateResponses: false } })))
  )
  const oneBytes = new TextEncoder().encode(one)
  const pageBytes = new TextEncoder().encode(page)
  const runtime = cannedClient(oneBytes, pageBytes)
  const perCall = (n: number, f: () => Promise<unknown> | unknown) => async () => {
    for (let i = 0; i < Math.min(n, 100); i++) await f()
    const start = now()
    for (let i = 0; i < n; i++) await f()
    return ((now() - start) / n) * 1000
  }
  const n = Number(process.env["BENCH_CLIENT_N"] ?? 2000)
  const m = Number(process.env["BENCH_PAGE_N"] ?? 20)
  const decoder = new TextDecoder()
  const result = await rounds([
    [
      "Response.text() + JSON.parse (one user)",
      perCall(n, async () => JSON.parse(await cannedResponse(oneBytes).text()))
    ],
    ["Users.get", perCall(n, () => runtime.runPromise(Users.get("user_1")))],
    ["JSON.parse (500-user page)", perCall(m, () => JSON.parse(page))],
    ["TextDecoder (500-user page)", perCall(m, () => decoder.decode(pageBytes))],
    [
      "Response.text() + JSON.parse (500-user page)",
      perCall(m, async () => JSON.parse(await cannedResponse(pageBytes).text()))
    ],
    ["Users.list({ limit: 500 })", perCall(m, () => runtime.runPromise(Users.list({ limit: 500 })))]
  ])
  const profile = await profileCalls(n, () => runtime.runPromise(Users.get("user_1")))
  await runtime.dispose()
  const us = (name: string) => result.get(name)!
  const get = us("Users.get") / us("Response.text() + JSON.parse (one user)")
  const list = us("Users.list({ limit: 500 })") / us("JSON.parse (500-user page)")
  const listVsText = us("Users.list({ limit: 500 })") / us("Response.text() + JSON.parse (500-user page)")
  log(
    `One user (${fmt(one.length / 1024, 1)} KB) and a page of 500 (${
      fmt(page.length / 1024)
    } KB); µs per call, median of ${ROUNDS} interleaved rounds. The canned client serves the bytes with their ` +
      "`Content-Length`, as a transport does; the baselines read the same bytes."
  )
  log()
  log("| call | µs / call | baseline | µs / call | ratio |")
  log("|---|---:|---|---:|---:|")
  log(
    `| \`Users.get\` | ${fmt(us("Users.get"), 1)} | \`Response.text()\` + \`JSON.parse\` | ${
      fmt(us("Response.text() + JSON.parse (one user)"), 1)
    } | ${fmt(get, 1)}× |`
  )
  log(
    `| \`Users.list({ limit: 500 })\` | ${fmt(us("Users.list({ limit: 500 })"))} | \`JSON.parse\` of the text | ${
      fmt(us("JSON.parse (500-user page)"))
    } | ${fmt(list, 1)}× |`
  )
  log(
    `| \`Users.list({ limit: 500 })\` | ${
      fmt(us("Users.list({ limit: 500 })"))
    } | \`Response.text()\` + \`JSON.parse\` | ${fmt(us("Response.text() + JSON.parse (500-user page)"))} | ${
      fmt(listVsText, 1)
    }× |`
  )
  log()
  log(
    `Of the page's baseline, turning its bytes into a string (\`TextDecoder\`) costs ${
      fmt(us("TextDecoder (500-user page)"))
    } µs: every client reading a body pays it, and \`JSON.parse\` alone does not.`
  )
  log()
  log(
    `Where a \`Users.get\` spends its CPU (an in-process CPU profile of ${
      fmt(n)
    } calls, sampled every 100 µs; self time by where the code lives, each sample's interval counted once and only ` +
      `inside the measured loop; ${fmt(profile.wall, 1)} µs a call with the profiler on):`
  )
  log()
  log("| where | µs / call |")
  log("|---|---:|")
  for (const [name, value] of profile.perCall) if (value >= 0.05) log(`| ${name} | ${fmt(value, 1)} |`)
  log(`| idle, \`(program)\` | ${fmt(profile.idle, 1)} |`)
  log(`| **sum of the rows** | **${fmt(profile.total, 1)}** |`)
  log()
  return { get, list, listVsText }
}

const section3 = async (server: { readonly url: string; readonly key: string }) => {
  log("## 3. In-process `ClerkTest.layer` against the same calls over loopback HTTP")
  log()
  const [id] = await seedOver(server.url, [richUser(999_999)])
  const inProcessRuntime = (validate: boolean) =>
    ManagedRuntime.make(
      ClerkTest.layerWith({ emulator: { rateLimit: false, validateResponses: validate, validateRequests: validate } })
    )
  const seedLocal = (runtime: ReturnType<typeof inProcessRuntime>) =>
    runtime.runPromise(
      Effect.flatMap(ClerkEmulator, (e) => Effect.map(e.seed({ users: [richUser(1)] }), (r) => r.users[0]!.id))
    )
  const inProcess = inProcessRuntime(false)
  const validated = inProcessRuntime(true)
  const localId = await seedLocal(inProcess)
  const validatedId = await seedLocal(validated)
  const overHttp = ManagedRuntime.make(
    ClerkClient.layer({ secretKey: Redacted.make(server.key), apiUrl: server.url }).pipe(
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )
  // about two seconds a run each on this machine, so a burst of load elsewhere weighs alike on both
  const N = 1000
  const nInProcess = 5000
  const names = {
    inProcess: "ClerkTest.layer (in-process)",
    validated: "ClerkTest.layer (in-process), spec validation on (the default)",
    loopback: "loopback HTTP (undici)"
  }
  const result = await rounds([
    [names.inProcess, () => throughput(nInProcess, 1, () => inProcess.runPromise(Users.get(localId)))],
    [names.validated, () => throughput(nInProcess, 1, () => validated.runPromise(Users.get(validatedId)))],
    [names.loopback, () => throughput(N, 1, () => overHttp.runPromise(Users.get(id!)))]
  ])
  await inProcess.dispose()
  await validated.dispose()
  await overHttp.dispose()
  const a = result.get(names.inProcess)!
  const v = result.get(names.validated)!
  const b = result.get(names.loopback)!
  log(
    `Sequential \`Users.get\` calls, ${fmt(N)} per run over loopback and ${
      fmt(nInProcess)
    } in-process (request validation off on both sides, except the row that says ` +
      `otherwise: requests and responses checked against Clerk's spec), median of ${ROUNDS} interleaved rounds.`
  )
  log()
  log("| | calls/s | ratio |")
  log("|---|---:|---:|")
  log(`| ${names.inProcess} | ${fmt(a)} | ${fmt(a / b, 2)}× |`)
  log(`| ${names.validated} | ${fmt(v)} | ${fmt(v / b, 2)}× |`)
  log(`| ${names.loopback} | ${fmt(b)} | 1.00× |`)
  log()
  return a / b
}

const section4 = async () => {
  log("## 4. Rate budget under `ClerkRateLimit` against the emulator's enforced limit (virtual time)")
  log()
  const program = Effect.gen(function*() {
    const emulator = yield* ClerkEmulator
    const { users } = yield* emulator.seed({ users: [{ emailAddress: ["storm@x.co"] }] })
    const t0 = yield* Effect.clockWith((c) => c.currentTimeMillis)
    const fiber = yield* Effect.fork(
      Effect.forEach(Array.from({ length: 2000 }), () => Effect.either(Users.get(users[0]!.id)), {
        concurrency: "unbounded"
      })
    )
    while ((yield* fiber.poll)._tag === "None") yield* TestClock.adjust("1 second")
    const exit = yield* Fiber.await(fiber)
    const log = yield* emulator.requests
    const elapsed = log.at(-1)!.at - t0
    return {
      ok: Exit.isSuccess(exit) ? exit.value.filter((r) => r._tag === "Right").length : 0,
      tooMany: log.filter((r) => r.status === 429).length,
      elapsed,
      allowed: 100 + Math.floor(elapsed / 100)
    }
  }).pipe(
    Effect.provide(ClerkTest.layerWith({ emulator: { validateResponses: false }, stack: ClerkRateLimit.layer() })),
    Effect.provide(TestContext.TestContext)
  )
  const r = await Effect.runPromise(program)
  log(
    "2,000 concurrent `Users.get` with an `sk_test_` key (Clerk: 100 requests / 10 s), under the default `ClerkRateLimit.layer()`."
  )
  log()
  log(
    "| requests | succeeded | 429s from the emulator | virtual time | allowed in that time | share of the budget used |"
  )
  log("|---:|---:|---:|---:|---:|---:|")
  log(
    `| 2,000 | ${fmt(r.ok)} | ${r.tooMany} | ${fmt(r.elapsed / 1000, 1)} s | ${fmt(r.allowed)} | ${
      fmt((2000 / r.allowed) * 100, 1)
    }% |`
  )
  log()
}

const section5 = async () => {
  log("## 5. The emulator at 10k and 100k users")
  log()
  log(
    "In-process web handler (`ClerkEmulator.handle`, validation off): median latency of 15 calls (30 for the list, " +
      "alternating with the raw pipeline; after 3 untimed warm-up calls), and heap used by the state. " +
      "The list (limit 100) is also timed through the raw pipeline `ClerkTest`'s in-process client calls (no `Request` " +
      "built, no `Response` built and read back): the difference is the web objects' cost for a ~150 KB body."
  )
  log()
  log(
    "| users | list (limit 100) | list, raw pipeline | list (emailAddressQuery) | count | get | heap for the users |"
  )
  log("|---:|---:|---:|---:|---:|---:|---:|")
  let last = { list: 0, count: 0, heap: 0 }
  for (const size of [10_000, 100_000]) {
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const before = process.memoryUsage().heapUsed
    const row = await Effect.runPromise(
      Effect.gen(function*() {
        const emulator = yield* ClerkEmulator.make({
          rateLimit: false,
          validateRequests: false,
          validateResponses: false
        })
        const chunk = 5000
        let lastId = ""
        for (let i = 0; i < size; i += chunk) {
          const { users } = yield* emulator.seed({
            users: Array.from({ length: Math.min(chunk, size - i) }, (_, j) => ({
              emailAddress: [`u${i + j}@example.com`],
              firstName: `F${i + j}`,
              createdAt: 1_700_000_000_000 + i + j
            }))
          })
          lastId = users.at(-1)!.id
        }
        gc?.()
        const heap = process.memoryUsage().heapUsed - before
        const auth = { authorization: `Bearer ${emulator.secretKey}` }
        // 3 untimed calls first: the first call of a kind at a size pays for JIT warm-up (~100 ms at 100k users),
        // which would otherwise land in whichever row runs first
        const viaHandle = (url: string) =>
          Effect.gen(function*() {
            const start = now()
            const response = yield* emulator.handle(new Request(url, { headers: auth }))
            yield* Effect.promise(() => response.text())
            return now() - start
          })
        const timeIt = (url: string) =>
          Effect.gen(function*() {
            const samples: Array<number> = []
            for (let i = 0; i < 18; i++) {
              const ms = yield* viaHandle(url)
              if (i >= 3) samples.push(ms)
            }
            return median(samples)
          })
        const raw = rawHandlerOf(emulator)!
        const viaRaw = Effect.gen(function*() {
          const start = now()
          const response = yield* raw({
            method: "GET",
            url: "http://x/v1/users?limit=100",
            headers: auth,
            text: Effect.succeed(""),
            formData: Effect.die("no body")
          })
          if (response.status !== 200) throw new Error(`list answered ${response.status}`)
          return now() - start
        })
        // the list through handle and through the raw pipeline alternate, so both see the same GC and machine load
        // (the old generation left by seeding is still being swept during the first calls)
        const lists = Effect.gen(function*() {
          const handled: Array<number> = []
          const raws: Array<number> = []
          for (let i = 0; i < 33; i++) {
            const h = yield* viaHandle("http://x/v1/users?limit=100")
            const r = yield* viaRaw
            if (i >= 3) {
              handled.push(h)
              raws.push(r)
            }
          }
          return { list: median(handled), rawList: median(raws) }
        })
        return {
          ...(yield* lists),
          query: yield* timeIt("http://x/v1/users?limit=100&email_address_query=u12345"),
          count: yield* timeIt("http://x/v1/users/count"),
          get: yield* timeIt(`http://x/v1/users/${lastId}`),
          heap
        }
      }).pipe(Effect.orDie, Effect.scoped)
    )
    log(
      `| ${fmt(size)} | ${fmt(row.list, 1)} ms | ${fmt(row.rawList, 1)} ms | ${fmt(row.query, 1)} ms | ${
        fmt(row.count, 1)
      } ms | ${fmt(row.get, 2)} ms | ${fmt(row.heap / 1024 / 1024)} MB |`
    )
    last = row
  }
  log()
  return last
}

/** What the SDK adds to an Effect app (gzipped), measured by the same two apps, before issue 11's work (main at b0d1c0e). */
const bundleBaselineKb = 26.5
const bundleTargetKb = Math.floor(bundleBaselineKb * 1.1 * 10) / 10

const section6 = async () => {
  log("## 6. Bundle size of an app that calls `Users.get`")
  log()
  const dir = path.join(root, "bench/.bundle")
  fs.mkdirSync(dir, { recursive: true })
  const sdkApp = (imports: string) =>
    `${imports}
Effect.runPromise(Users.get(process.argv[2] ?? "user_1").pipe(Effect.provide(ClerkClient.layerConfig()), Effect.provide(FetchHttpClient.layer))).then(console.log)
`
  const apps = {
    // the README's import style: namespaces from the package indexes
    "sdk-app.ts": sdkApp(`import { ClerkClient } from "@effect-clerk/core"
import { Users } from "@effect-clerk/users"
import { FetchHttpClient } from "@effect/platform"
import { Effect } from "effect"`),
    // module paths throughout, as the Effect app below imports Effect
    "sdk-subpath-app.ts": sdkApp(`import * as ClerkClient from "@effect-clerk/core/ClerkClient"
import * as Users from "@effect-clerk/users/Users"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"`),
    "clerk-app.ts": `import { createClerkClient } from "@clerk/backend"
createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY }).users.getUser(process.argv[2] ?? "user_1").then(console.log)
`,
    "effect-app.ts": `import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
const User = Schema.Struct({ id: Schema.String, first_name: Schema.NullOr(Schema.String) })
const program = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("https://api.example.com/users/" + (process.argv[2] ?? "1"))
  return yield* Schema.decodeUnknown(User)(yield* response.json)
})
Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer))).then(console.log)
`
  }
  // the Effect app importing Effect as the SDK app does (esbuild keeps all of a namespace an index re-exports)
  const effectNsApp = apps["effect-app.ts"].replace(
    `import * as Effect from "effect/Effect"`,
    `import { Effect } from "effect"`
  )
  // the SDK by module path, Effect from the index: what the index-imported app would weigh if esbuild tree-shook our
  // namespaces (evanw/esbuild#1420), the lowest the measured app can reach without removing code from `Users.get`'s path
  const shakenApp = apps["sdk-subpath-app.ts"].replace(
    `import * as Effect from "effect/Effect"`,
    `import { Effect } from "effect"`
  )
  for (const [file, text] of Object.entries(apps)) fs.writeFileSync(path.join(dir, file), text)
  fs.writeFileSync(path.join(dir, "effect-ns-app.ts"), effectNsApp)
  fs.writeFileSync(path.join(dir, "sdk-shaken-app.ts"), shakenApp)
  type Entry = keyof typeof apps | "effect-ns-app.ts" | "sdk-shaken-app.ts"
  const buildOptions = (entry: Entry) => ({
    entryPoints: [path.join(dir, entry)],
    bundle: true,
    minify: true,
    format: "esm" as const,
    platform: "neutral" as const,
    mainFields: ["module", "main"],
    conditions: ["@effect-clerk/source", "import", "default"],
    external: ["node:*"],
    write: false as const,
    logLevel: "silent" as const,
    absWorkingDir: root
  })
  const size = async (entry: Entry) => {
    const result = await esbuild.build({ ...buildOptions(entry), metafile: true })
    const code = result.outputFiles[0]!.contents
    const inputs = Object.values(result.metafile.outputs)[0]!.inputs
    const ours = Object.entries(inputs).flatMap(([file, input]) =>
      file.startsWith("packages/") && input.bytesInOutput > 0 ? [[file, input.bytesInOutput] as const] : []
    )
    return { min: code.length, gz: zlib.gzipSync(code, { level: 9 }).length, ours }
  }
  const sdk = await size("sdk-app.ts")
  const subpath = await size("sdk-subpath-app.ts")
  const clerk = await size("clerk-app.ts")
  const effectApp = await size("effect-app.ts")
  const effectNs = await size("effect-ns-app.ts")
  const shaken = await size("sdk-shaken-app.ts")
  const kb = (bytes: number) => fmt(bytes / 1024, 1)
  log("esbuild (bundle, minify, ESM), gzip level 9.")
  log()
  log("| app | minified | min + gzip | ratio (gzip) |")
  log("|---|---:|---:|---:|")
  log(
    `| effect-clerk (\`Users.get\`, \`ClerkClient.layerConfig\`, fetch) | ${kb(sdk.min)} KB | ${kb(sdk.gz)} KB | ${
      fmt(sdk.gz / clerk.gz, 2)
    }× |`
  )
  log(
    `| the same, imported by module path (\`@effect-clerk/users/Users\`, \`effect/Effect\`, ...) | ${
      kb(subpath.min)
    } KB | ${kb(subpath.gz)} KB | ${fmt(subpath.gz / clerk.gz, 2)}× |`
  )
  log(`| @clerk/backend (\`users.getUser\`) | ${kb(clerk.min)} KB | ${kb(clerk.gz)} KB | 1.00× |`)
  log(
    `| an Effect app without the SDK (HttpClient + Schema, one GET) | ${kb(effectApp.min)} KB | ${
      kb(effectApp.gz)
    } KB | ${fmt(effectApp.gz / clerk.gz, 2)}× |`
  )
  log()
  const added = (sdk.gz - effectApp.gz) / 1024
  log(
    `What the SDK adds to an app that already uses Effect: ${kb(sdk.min - effectApp.min)} KB minified, ${
      fmt(added, 1)
    } KB gzipped (${bundleBaselineKb} KB before issue 11's work; target ≤ ${bundleTargetKb} KB). Imported by module path, as the Effect app imports Effect: ${
      kb(subpath.min - effectApp.min)
    } KB minified, ${kb(subpath.gz - effectApp.gz)} KB gzipped. Of the ${fmt(added, 1)} KB, ${
      kb(effectNs.gz - effectApp.gz)
    } KB is the app's own \`import { Effect } from "effect"\` (esbuild keeps every export of a namespace an index re-exports, evanw/esbuild#1420): over the Effect app importing Effect that way, the SDK adds ${
      kb(sdk.gz - effectNs.gz)
    } KB gzipped. Were our namespaces tree-shaken too (the SDK by module path, Effect from its index, as the README's app does), the SDK would add ${
      kb(shaken.gz - effectApp.gz)
    } KB gzipped: the floor of this measure while \`Users.get\`'s path keeps what it has.`
  )
  log()
  // the same build with a source map, to cut out each of our modules' output and see what the gzipped bundle loses
  const mapped = await esbuild.build({ ...buildOptions("sdk-app.ts"), sourcemap: "external", outfile: "sdk-app.js" })
  const mappedCode = mapped.outputFiles.find((file) => file.path.endsWith(".js"))!.text
  const sourceMap = JSON.parse(mapped.outputFiles.find((file) => file.path.endsWith(".map"))!.text)
  const shares = gzipShares(mappedCode, sourceMap, (source) => source.includes("packages/"))
  log(
    "Our modules in the index-imported app: minified bytes in the output (esbuild metafile) and gzip share, the bytes the gzipped bundle loses when the module's output (by the source map) is cut out:"
  )
  log()
  log("| module | minified | gzip share |")
  log("|---|---:|---:|")
  const minified = new Map(sdk.ours)
  for (const { gzip, source } of shares) {
    const file = source.slice(source.indexOf("packages/"))
    log(`| ${file} | ${fmt(minified.get(file) ?? 0)} | ${fmt(gzip)} |`)
  }
  log(
    `| total | ${fmt(sdk.ours.reduce((n, [, bytes]) => n + bytes, 0))} | ${
      fmt(shares.reduce((n, { gzip }) => n + gzip, 0))
    } |`
  )
  log()
  return { ratio: sdk.gz / clerk.gz, added }
}

/** The throughput rows of the targets table (section 1's `Users.get`, ratios taken within each round). */
const throughputTargets = (throughputs: Awaited<ReturnType<typeof section1>>) => {
  const ratio = throughputs.get.ratio
  const rows: ReadonlyArray<readonly [string, ReturnType<typeof ratio>, number]> = [
    [
      "SDK on undici ≥ 0.85× raw undici (`Users.get`)",
      ratio("SDK over undici", "raw undici (request + JSON.parse)"),
      0.85
    ],
    ["SDK on fetch ≥ 0.85× raw fetch (`Users.get`)", ratio("SDK over fetch", "raw fetch (fetch + json())"), 0.85],
    ["SDK on fetch ≥ 1.0× @clerk/backend (`Users.get`)", ratio("SDK over fetch", "@clerk/backend"), 1]
  ]
  for (const [what, { max, median, min }, target] of rows) {
    log(
      `| ${what} | ${fmt(median, 2)}× (rounds ${fmt(min, 2)}–${fmt(max, 2)}×) | ${median >= target ? "yes" : "no"} |`
    )
  }
}

const main = async () => {
  if (process.env["BENCH_ONLY"] === "bundle") {
    // the bundle rows alone (printed, RESULTS.md untouched): `BENCH_ONLY=bundle pnpm bench`
    await section6()
    return
  }
  if (process.env["BENCH_ONLY"] === "throughput") {
    // section 1 alone and its targets (printed, RESULTS.md untouched): `BENCH_ONLY=throughput pnpm bench`
    const server = await startServer()
    try {
      const throughputs = await section1(server)
      log("| target | measured in this run | met |")
      log("|---|---:|:---:|")
      throughputTargets(throughputs)
    } finally {
      server.child.kill("SIGTERM")
    }
    return
  }
  if (process.env["BENCH_ONLY"] === "decode") {
    // section 2 alone (printed, RESULTS.md untouched): `BENCH_ONLY=decode pnpm bench`
    await section2()
    return
  }
  if (process.env["BENCH_ONLY"] === "client") {
    // the client-side rows alone (printed, RESULTS.md untouched): `BENCH_ONLY=client pnpm bench`
    await sectionClientSide()
    await section2()
    return
  }
  log("# Benchmark results")
  log()
  log(`Written by \`pnpm bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.`)
  log()
  log(
    `- machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${
      fmt(os.totalmem() / 1024 ** 3)
    } GiB, ${os.platform()} ${os.release()}`
  )
  log(`- node ${process.version}; ${versions()}`)
  log(`- shared and noisy: compare ratios within a table (measured side by side), not absolute numbers across runs`)
  log()
  if (process.env["BENCH_ONLY"] === "inprocess") {
    // section 3 alone (in-process vs loopback): `BENCH_ONLY=inprocess pnpm bench`
    const server = await startServer()
    try {
      await section3(server)
    } finally {
      server.child.kill("SIGTERM")
    }
    return
  }
  if (process.env["BENCH_ONLY"] === "emulator") {
    // the emulator's rows alone (in-process vs loopback, the emulator at scale), to measure without the rest
    const server = await startServer()
    try {
      await section3(server)
    } finally {
      server.child.kill("SIGTERM")
    }
    await section5()
    return
  }
  const server = await startServer()
  let inProcessRatio: number
  let throughputs: Awaited<ReturnType<typeof section1>>
  let decodeRatio: number
  let clientSide: Awaited<ReturnType<typeof sectionClientSide>>
  try {
    throughputs = await section1(server)
    await sectionBreakdown()
    clientSide = await sectionClientSide()
    decodeRatio = await section2()
    inProcessRatio = await section3(server)
  } finally {
    server.child.kill("SIGTERM")
  }
  await section4()
  const atScale = await section5()
  const bundle = await section6()
  log("## Targets")
  log()
  log("| target | measured in this run | met |")
  log("|---|---:|:---:|")
  throughputTargets(throughputs)
  log(`| decoding ≤ 2× JSON.parse | ${fmt(decodeRatio, 2)}× | ${decodeRatio <= 2 ? "yes" : "no"} |`)
  log(
    `| \`ClerkTest.layer\` in-process ≥ 5× loopback HTTP | ${fmt(inProcessRatio, 2)}× | ${
      inProcessRatio >= 5 ? "yes" : "no"
    } |`
  )
  log(
    `| emulator at 100k users (validation off): default list (limit 100) and unfiltered count p50 < 5 ms | ${
      fmt(atScale.list, 1)
    } ms, ${fmt(atScale.count, 1)} ms | ${atScale.list < 5 && atScale.count < 5 ? "yes" : "no"} |`
  )
  log(
    `| emulator heap for 100k users within ~217 MB | ${fmt(atScale.heap / 1024 / 1024)} MB | ${
      atScale.heap / 1024 / 1024 <= 217 * 1.05 ? "yes" : "no"
    } |`
  )
  log(
    `| one \`Users.get\`, canned HttpClient, ≤ 4× \`Response.text()\` + \`JSON.parse\` | ${fmt(clientSide.get, 1)}× | ${
      clientSide.get <= 4 ? "yes" : "no"
    } |`
  )
  log(
    `| a 500-user page through \`Users.list\`, canned HttpClient, ≤ 2× \`JSON.parse\` | ${fmt(clientSide.list, 1)}× (${
      fmt(clientSide.listVsText, 1)
    }× \`Response.text()\` + \`JSON.parse\`) | ${clientSide.list <= 2 ? "yes" : "no"} |`
  )
  log(`| bundle ≤ @clerk/backend's (gzip) | ${fmt(bundle.ratio, 2)}× | ${bundle.ratio <= 1 ? "yes" : "no"} |`)
  log(
    `| what the SDK adds to an Effect app ≤ ${bundleTargetKb} KB gzip (+10% of ${bundleBaselineKb} KB) | ${
      fmt(bundle.added, 1)
    } KB | ${bundle.added <= bundleTargetKb ? "yes" : "no"} |`
  )
  log()
  log(fs.readFileSync(path.join(root, "bench/ANALYSIS.md"), "utf8").trim())
  fs.writeFileSync(path.join(root, "bench/RESULTS.md"), out.join("\n") + "\n")
  console.log("\nwrote bench/RESULTS.md")
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
