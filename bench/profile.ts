/**
 * A CPU profile of a loop of calls, taken in-process with `node:inspector` (only the measured loop is sampled), and
 * the samples' self time grouped by where the code lives: the per-call breakdown of `pnpm bench`.
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"

interface CallFrame {
  readonly functionName: string
  readonly url: string
}
interface Profile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** Where a sample's self time goes, by the file its function lives in. */
export const categories: ReadonlyArray<readonly [name: string, test: (frame: CallFrame) => boolean]> = [
  [
    "Schema decoding (effect/ParseResult, Schema)",
    (f) => /effect\/(dist\/esm|src)\/(ParseResult|Schema|SchemaAST)\./.test(f.url)
  ],
  ["compiled codecs (generated)", (f) => /codecs/.test(f.url)],
  ["JSON.parse", (f) => f.functionName === "parse" && f.url === ""],
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
  ["@effect/platform HttpClient", (f) => /@effect\/platform/.test(f.url)],
  ["Effect runtime (fibers, scheduler, spans, FiberRefs)", (f) => /effect\/(dist\/esm|src)\//.test(f.url)],
  ["SDK code (core, users)", (f) => /packages\/(core|users)\/src/.test(f.url)],
  ["Node (Response, web streams, AbortSignal, timers)", (f) => f.url.startsWith("node:") || f.url === ""],
  ["other", () => true]
]

const categorize = (profile: Profile) => {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const totals = new Map<string, number>(categories.map(([name]) => [name, 0]))
  let idle = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = frames.get(profile.samples[i]!)
    const dt = profile.timeDeltas[i] ?? 0
    if (frame === undefined || frame.functionName === "(idle)" || frame.functionName === "(program)") {
      idle += dt
      continue
    }
    const [name] = categories.find(([, test]) => test(frame))!
    totals.set(name, totals.get(name)! + dt)
  }
  return { totals, idle }
}

/**
 * Runs `f` `n` times under the profiler (after a warm-up of `warmup` calls); returns µs per call per category and
 * the wall time per call. Writes the `.cpuprofile` to `file` when given.
 */
export const profileCalls = async (
  n: number,
  f: () => Promise<unknown> | unknown,
  options: { readonly warmup?: number; readonly file?: string } = {}
) => {
  for (let i = 0; i < (options.warmup ?? 200); i++) await f()
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.setSamplingInterval", { interval: 100 })
  await session.post("Profiler.start")
  const start = performance.now()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < n; i++) await f()
  const wall = ((performance.now() - start) / n) * 1000
  const used = process.cpuUsage(cpu0)
  const cpu = (used.user + used.system) / n
  const { profile } = await session.post("Profiler.stop")
  session.disconnect()
  if (options.file !== undefined) fs.writeFileSync(options.file, JSON.stringify(profile))
  const { idle, totals } = categorize(profile as unknown as Profile)
  const perCall = new Map([...totals].map(([name, us]) => [name, us / n]))
  return { perCall, idle: idle / n, wall, cpu }
}
