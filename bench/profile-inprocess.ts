/**
 * `node --conditions=@effect-clerk/source --import tsx bench/profile-inprocess.ts`: common calls through
 * `ClerkTest.layer` in-process (`Users.get` of the benchmarks' rich user, `Users.list` of 10, `Users.update`,
 * `Users.create`; `raw`: the emulator's raw pipeline answering the same GET, no client), with spec validation off and
 * on (`ONLY=raw,get` picks), in interleaved rounds (calls/s per contender). With
 * `PROFILE_DIR=dir`, a CPU profile (node:inspector) of a mix of those calls, written as `dir/inprocess.cpuprofile`,
 * and its self time per call printed by file and by function. `ROOT=/path/to/another/checkout` (installed) measures
 * that checkout instead. With `BEFORE=/path/to/another/checkout`, that checkout's `ClerkTest.layer` runs in the same
 * rounds, but a second copy of the packages loaded in one process runs slower (a null test, the same commit as
 * BEFORE, gave 1.6–3× in favour of the first): for a before/after, alternate processes with `ROOT` instead.
 */
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as ManagedRuntime from "effect/ManagedRuntime"
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import * as path from "node:path"
import { richUser } from "./fixtures.js"

const N = Number(process.env["N"] ?? 2000)
const ROUNDS = Number(process.env["ROUNDS"] ?? 5)
const ONLY = process.env["ONLY"]

type Module = Record<string, Record<string, unknown>>
interface Side {
  readonly name: string
  readonly root: string
  readonly testing: Module
  readonly users: Module
  /** That checkout's own `effect` (one instance per checkout: its default tracer is the one its SDK compares with). */
  readonly ManagedRuntime: typeof ManagedRuntime
  readonly Effect: typeof Effect
}

/** `DIST=1`: the built packages (`pnpm build`), whose profile keeps source lines and function names. */
const entry = process.env["DIST"] === undefined ? "src/index.ts" : "dist/index.js"
const load = async (root: string, name: string): Promise<Side> => ({
  name,
  root,
  testing: (await import(path.join(root, `packages/testing/${entry}`))) as Module,
  users: (await import(path.join(root, `packages/users/${entry}`))) as Module,
  ManagedRuntime: (await import(
    path.join(root, "packages/testing/node_modules/effect/dist/esm/ManagedRuntime.js")
  )) as typeof ManagedRuntime,
  Effect: (await import(path.join(root, "packages/testing/node_modules/effect/dist/esm/Effect.js"))) as typeof Effect
})

const here = path.resolve(process.env["ROOT"] ?? path.join(import.meta.dirname, ".."))
const sides: Array<Side> = [await load(here, "now")]
if (process.env["BEFORE"] !== undefined) sides.push(await load(path.resolve(process.env["BEFORE"]), "before"))

type Call = () => Promise<unknown>
const contenders: Array<readonly [string, Call]> = []
const disposals: Array<() => Promise<void>> = []

for (const side of sides) {
  for (const validate of [false, true]) {
    const layerWith = side.testing["ClerkTest"]!["layerWith"] as (o: unknown) => Layer.Layer<never>
    const runtime = side.ManagedRuntime.make(
      layerWith({ emulator: { validateRequests: validate, validateResponses: validate } })
    )
    disposals.push(() => runtime.dispose())
    const U = side.users["Users"] as Record<string, (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown>>
    const emulatorTag = side.testing["ClerkEmulator"] as unknown as Effect.Effect<
      { seed: (s: unknown) => Effect.Effect<{ users: Array<{ id: string }> }> }
    >
    const seeded = await runtime.runPromise(
      side.Effect.flatMap(emulatorTag, (e) => e.seed({ users: Array.from({ length: 20 }, (_, i) => richUser(i)) }))
    )
    const id = seeded.users[0]!.id
    let n = 0
    const tag = `${side.name}${validate ? " validated" : ""}`
    // the emulator's own part of a `Users.get`: its raw pipeline (what ClerkTest's client calls), no client
    const emulator = await runtime.runPromise(emulatorTag)
    const rawOf =
      (await import(path.join(side.root, `packages/testing/${entry.replace("index", "internal/raw")}`))) as {
        rawHandlerOf: (service: unknown) => (request: unknown) => Effect.Effect<unknown>
      }
    const raw = rawOf.rawHandlerOf(emulator)
    const key = (emulator as unknown as { secretKey: string }).secretKey
    const rawGet = {
      method: "GET",
      url: new URL(`http://clerk.emulator.local/v1/users/${id}`),
      headers: { authorization: `Bearer ${key}`, accept: "application/json" },
      text: side.Effect.succeed(""),
      textNow: () => "",
      formData: side.Effect.die("no form")
    }
    const calls: Record<string, Call> = {
      raw: () => runtime.runPromise(raw(rawGet)),
      get: () => runtime.runPromise(U["get"]!(id)),
      list: () => runtime.runPromise(U["list"]!({ limit: 10 })),
      update: () => runtime.runPromise(U["update"]!(id, { firstName: `F${n++}` })),
      create: () => runtime.runPromise(U["create"]!({ emailAddress: [`c${n++}@example.com`], firstName: "C" }))
    }
    for (const [op, call] of Object.entries(calls)) {
      if (ONLY === undefined || ONLY.split(",").includes(op)) contenders.push([`${op} ${tag}`, call])
    }
  }
}

const now = () => performance.now()
const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
/** Calls/s, and this process's CPU per call (µs: less swayed than wall time by other processes on the machine). */
const cpuPerCall = new Map<Call, Array<number>>()
const rate = async (n: number, call: Call) => {
  const start = now()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < n; i++) await call()
  const used = process.cpuUsage(cpu0)
  cpuPerCall.set(call, [...(cpuPerCall.get(call) ?? []), (used.user + used.system) / n])
  return n / ((now() - start) / 1000)
}

for (const [, call] of contenders) for (let i = 0; i < 1500; i++) await call()

if (process.env["PROFILE_DIR"] !== undefined) {
  const mine = contenders.filter(([name]) => name.endsWith(process.env["PROFILE_WHICH"] ?? " now"))
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 50 })
  await session.post("Profiler.start")
  const start = now()
  let calls = 0
  for (let i = 0; i < N; i++) {
    for (const [, call] of mine) {
      await call()
      calls++
    }
  }
  const wall = ((now() - start) / calls) * 1000
  const { profile } = await session.post("Profiler.stop")
  session.disconnect()
  fs.mkdirSync(process.env["PROFILE_DIR"], { recursive: true })
  fs.writeFileSync(path.join(process.env["PROFILE_DIR"], "inprocess.cpuprofile"), JSON.stringify(profile))
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const byFile = new Map<string, number>()
  const byFn = new Map<string, number>()
  for (let i = 0; i < profile.samples!.length; i++) {
    const f = frames.get(profile.samples![i]!)!
    const dt = profile.timeDeltas![i] ?? 0
    const file = f.url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "").replace(
      /^file:\/\/.*?\/packages\//,
      ""
    )
    byFile.set(file || f.functionName, (byFile.get(file || f.functionName) ?? 0) + dt)
    const fn = `${f.functionName || "(anon)"} ${file}:${f.lineNumber + 1}`
    byFn.set(fn, (byFn.get(fn) ?? 0) + dt)
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, us]) =>
      `${(us / calls).toFixed(1).padStart(7)} µs  ${name}`
    )
  console.log(`${calls} calls (${mine.map(([n]) => n).join(", ")}), ${wall.toFixed(1)} µs a call with the profiler`)
  console.log("by file:\n" + top(byFile, 30).join("\n"))
  console.log("by function:\n" + top(byFn, 50).join("\n"))
} else {
  const results = new Map<string, Array<number>>(contenders.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const [name, call] = contenders[(i + r) % contenders.length]!
      results.get(name)!.push(await rate(N, call))
    }
  }
  for (const [name, call] of contenders) {
    const xs = results.get(name)!
    const cpu = cpuPerCall.get(call)!
    console.log(
      `${name.padEnd(28)} ${median(xs).toFixed(0).padStart(7)} calls/s  (${xs.map((x) => x.toFixed(0)).join(" ")}); ` +
        `CPU ${median(cpu).toFixed(1)} µs/call (${cpu.map((x) => x.toFixed(1)).join(" ")})`
    )
  }
  if (sides.length > 1) {
    for (const [name, xs] of results) {
      if (!name.includes("now")) continue
      const other = results.get(name.replace("now", "before"))!
      const ratios = xs.map((x, i) => x / other[i]!)
      console.log(
        `${name.padEnd(28)} now/before ${median(ratios).toFixed(2)}× (${ratios.map((x) => x.toFixed(2)).join(" ")})`
      )
    }
  }
}
for (const dispose of disposals) await dispose()
