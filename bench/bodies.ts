/**
 * `node --expose-gc --conditions=@effect-clerk/source --import tsx bench/bodies.ts`: a 500-user page (~1.6 MB)
 * through `Users.list({ limit: 500 })`, on a canned `HttpClient` (the page's bytes with their `Content-Length`) and
 * over loopback on fetch and undici (a static server in a child process serving the same bytes), against
 * `JSON.parse` of the page and the raw clients reading it (`text()` + `JSON.parse`). Wall and client CPU ms per page,
 * medians of interleaved rounds. `BODIES_COMPARE=before=<another working tree>,...` (each with this file's
 * `bench/sdk.ts` copied into it) runs those trees' SDKs in the same rounds, side by side.
 */
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import type * as HttpClientT from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as LayerT from "effect/Layer"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { request as undiciRequest } from "undici"
import { richUser } from "./fixtures.js"
import * as after from "./sdk.js"

type Sdk = typeof after

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5)
const N = Number(process.env["BENCH_PAGE_N"] ?? 10)

const ascii = await Effect.runPromise(
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator
    yield* emulator.seed({ users: Array.from({ length: 500 }, (_, i) => richUser(i)) })
    const auth = { authorization: `Bearer ${emulator.secretKey}` }
    const list = yield* emulator.handle(new Request("http://x/v1/users?limit=500", { headers: auth }))
    return yield* Effect.promise(() => list.text())
  }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { validateResponses: false } })))
)
// BODIES_NON_ASCII=1: one user's first name is "Zoë" (the page is no longer ASCII)
const page = process.env["BODIES_NON_ASCII"] === undefined ? ascii : ascii.replace("\"First0\"", "\"Zoë\"")
const bytes = new TextEncoder().encode(page)
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bodies-")), "page.json")
fs.writeFileSync(file, bytes)

/** A static server in a child process: every request gets the page with its Content-Length. */
const server = spawn(process.execPath, [
  "-e",
  `const body = require("fs").readFileSync(${JSON.stringify(file)});
   const server = require("http").createServer((req, res) => {
     req.resume()
     res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body)
   }).listen(0, "127.0.0.1", () => console.log(server.address().port))`
], { stdio: ["ignore", "pipe", "inherit"] })
const port = await new Promise<string>((resolve) =>
  server.stdout.once("data", (data: Buffer) => resolve(`${data}`.trim()))
)
const url = `http://127.0.0.1:${port}`

const runtimes = (sdk: Sdk) => {
  const {
    ClerkClient,
    Effect: E,
    FetchHttpClient,
    HttpClient,
    HttpClientResponse,
    Layer,
    ManagedRuntime,
    NodeHttpClient,
    Redacted
  } = sdk
  const client = (apiUrl: string, http: LayerT.Layer<HttpClientT.HttpClient>) =>
    ManagedRuntime.make(
      ClerkClient.layer({ secretKey: Redacted.make("sk_test_bench"), apiUrl }).pipe(Layer.provide(http))
    )
  const canned = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      E.succeed(HttpClientResponse.fromWeb(request, new Response(bytes, { headers: cannedHeaders })))
    )
  )
  return {
    canned: client("http://canned", canned),
    fetch: client(url, FetchHttpClient.layer),
    undici: client(url, NodeHttpClient.layerUndici)
  }
}
const cannedHeaders = { "content-type": "application/json", "content-length": String(bytes.length) }

const sdks: Array<readonly [string, Sdk]> = [["after", after]]
for (const other of (process.env["BODIES_COMPARE"] ?? "").split(",").filter((s) => s !== "")) {
  const [label, dir] = other.split("=")
  sdks.push([label!, (await import(path.join(dir!, "bench/sdk.ts"))) as Sdk])
}

const only = process.env["BODIES_ONLY"]
const contenders: Array<readonly [string, () => Promise<unknown> | unknown]> = [
  ["JSON.parse (the page's string)", () => JSON.parse(page)],
  ["canned: TextDecoder + JSON.parse", () => JSON.parse(new TextDecoder().decode(bytes))],
  [
    "canned: Response.text() + JSON.parse",
    async () => JSON.parse(await new Response(bytes, { headers: cannedHeaders }).text())
  ],
  ["fetch: raw fetch + text() + JSON.parse", async () => JSON.parse(await (await fetch(`${url}/v1/users`)).text())],
  [
    "undici: raw request + body.text() + JSON.parse",
    async () => JSON.parse(await (await undiciRequest(`${url}/v1/users`)).body.text())
  ]
]
const disposers: Array<() => Promise<void>> = []
for (const [label, sdk] of sdks) {
  const { canned, fetch, undici } = runtimes(sdk)
  disposers.push(() => canned.dispose(), () => fetch.dispose(), () => undici.dispose())
  const list = sdk.Users.list({ limit: 500 })
  contenders.push(
    [`canned: Users.list (${label})`, () => canned.runPromise(list)],
    [`fetch: Users.list (${label})`, () => fetch.runPromise(list)],
    [`undici: Users.list (${label})`, () => undici.runPromise(list)]
  )
}

if (only !== undefined) {
  const kept = contenders.filter(([name]) => name.startsWith("JSON.parse") || name.startsWith(only))
  contenders.splice(0, contenders.length, ...kept)
}
const gc = (globalThis as { gc?: () => void }).gc
const measure = async (call: () => Promise<unknown> | unknown) => {
  for (let i = 0; i < 3; i++) await call()
  gc?.()
  const cpu = process.cpuUsage()
  const start = performance.now()
  for (let i = 0; i < N; i++) await call()
  const used = process.cpuUsage(cpu)
  return { wall: (performance.now() - start) / N, cpu: (used.user + used.system) / 1000 / N }
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const results = new Map(contenders.map(([name]) => [name, { wall: [] as Array<number>, cpu: [] as Array<number> }]))
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < contenders.length; i++) {
    const [name, call] = contenders[(i + r) % contenders.length]!
    const { cpu, wall } = await measure(call)
    results.get(name)!.wall.push(wall)
    results.get(name)!.cpu.push(cpu)
  }
}
const ms = (name: string) => ({ wall: median(results.get(name)!.wall), cpu: median(results.get(name)!.cpu) })
const parse = ms("JSON.parse (the page's string)")
const baseline = (name: string) =>
  name.startsWith("canned")
    ? "canned: Response.text() + JSON.parse"
    : name.startsWith("fetch")
    ? "fetch: raw fetch + text() + JSON.parse"
    : "undici: raw request + body.text() + JSON.parse"
console.log(
  `${(bytes.length / 1024).toFixed(0)} KB page, ${N} pages per contender per round, median of ${ROUNDS} rounds`
)
console.log("| | wall ms / page | client CPU ms / page | wall vs JSON.parse | wall vs the raw client |")
console.log("|---|---:|---:|---:|---:|")
for (const [name] of contenders) {
  const { cpu, wall } = ms(name)
  const base = name.includes("Users.list") ? `${(wall / ms(baseline(name)).wall).toFixed(2)}×` : ""
  console.log(`| ${name} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${(wall / parse.wall).toFixed(2)}× | ${base} |`)
}
for (const dispose of disposers) await dispose()
server.kill()
fs.rmSync(path.dirname(file), { recursive: true })
