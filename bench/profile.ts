/**
 * A CPU profile of a loop of calls, taken in-process with `node:inspector`, and the samples' self time grouped by
 * where the code lives: the per-call breakdown of `pnpm bench`. Only the measured loop's time is counted: each
 * sample stands for the time since the previous one, clipped to the loop's window (the profile's clock is the
 * monotonic clock `process.hrtime` reads). Without the clipping the profiler's own start-up (the interval before the
 * first sample, ~20–120 ms spent logging every compiled function, attributed to a native `dispatch`) counted as
 * the loop's: 2,000 calls of ~114 µs showed rows summing to ~202 µs a call, "Node" alone more than the whole call.
 * Every sampled moment of the window lands in exactly one row (idle and `(program)` included), so the rows sum to
 * the window: the wall time of the loop.
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"

interface CallFrame {
  readonly functionName: string
  readonly url: string
}
interface Profile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame }>
  readonly startTime: number
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** The monotonic clock in µs, the clock of a profile's `startTime` and `timeDeltas`. */
const micros = () => Number(process.hrtime.bigint() / 1000n)

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

/** Each sample's share of the window `[from, to]` (µs, the profile's clock), by category; idle apart. */
const categorize = (profile: Profile, from: number, to: number) => {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const totals = new Map<string, number>(categories.map(([name]) => [name, 0]))
  let idle = 0
  let previous = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    const at = previous + (profile.timeDeltas[i] ?? 0)
    // the sample at `at` stands for (previous, at]: only its part inside the window counts
    const dt = Math.max(0, Math.min(at, to) - Math.max(previous, from))
    previous = at
    if (dt === 0) continue
    const frame = frames.get(profile.samples[i]!)
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
 * Runs `f` `n` times under the profiler (after a warm-up of `warmup` calls); returns µs per call per category, idle
 * per call, their sum (`total`: the loop's sampled time, equal to `wall` up to the last sample's granularity) and
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
  const cpu0 = process.cpuUsage()
  const from = micros()
  for (let i = 0; i < n; i++) await f()
  const to = micros()
  const wall = (to - from) / n
  const used = process.cpuUsage(cpu0)
  const cpu = (used.user + used.system) / n
  const { profile } = await session.post("Profiler.stop")
  session.disconnect()
  if (options.file !== undefined) fs.writeFileSync(options.file, JSON.stringify(profile))
  const { idle, totals } = categorize(profile as unknown as Profile, from, to)
  const perCall = new Map([...totals].map(([name, us]) => [name, us / n]))
  const total = [...perCall.values()].reduce((sum, us) => sum + us, idle / n)
  return { perCall, idle: idle / n, total, wall, cpu }
}
