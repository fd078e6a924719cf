/**
 * The Redis-backed limiter when Redis fails after the layer was built: a Redis of its own per test (redis-server,
 * stopped with SIGSTOP or shut down, then resumed or restarted), so the shared one (scripts/vitest/redis.ts) is
 * never disturbed.
 */
import { ClerkClient } from "@effect-clerk/core"
import * as ClerkRateLimitRedis from "@effect-clerk/core/ClerkRateLimitRedis"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import * as HttpClient from "@effect/platform/HttpClient"
import { afterEach, beforeEach, describe, expect, it, vi } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, spawn } from "node:child_process"
import * as net from "node:net"

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

/** A redis-server on `port`, listening when this succeeds; killed (and resumed first, if stopped) with the scope. */
const redisServer = (port: number) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const child = yield* Effect.async<ChildProcess, Error>((resume) => {
        const child = spawn(
          "redis-server",
          ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
          { stdio: "ignore" }
        )
        child.once("error", (error) => resume(Effect.fail(error)))
        child.once("spawn", () => resume(Effect.succeed(child)))
      })
      for (let i = 0; i < 200 && !(yield* Effect.promise(() => answers(port))); i++) yield* Effect.sleep("50 millis")
      return child
    }),
    (child) =>
      Effect.sync(() => {
        child.kill("SIGCONT")
        child.kill("SIGKILL")
      })
  )

/** Waits until the process has exited (a shutdown Redis no longer listens). */
const exited = (child: ChildProcess) =>
  Effect.async<true>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.succeed(true))
    child.once("exit", () => resume(Effect.succeed(true)))
  })

interface Line {
  readonly level: string
  readonly message: string
}

/** The limiter over the emulator, one token per hour: a request that is throttled waits an hour. */
const limited = (port: number) =>
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator.make({ validateResponses: false })
    const context = yield* Layer.build(
      ClerkRateLimitRedis.layer({
        redis: { host: "127.0.0.1", port, prefix: `outage-${Math.random().toString(36).slice(2)}:` },
        limit: 1,
        window: "1 hour"
      }).pipe(
        Layer.provide(
          ClerkClient.layer({ secretKey: Redacted.make(emulator.secretKey), apiUrl: "http://clerk.emulator.local" })
        ),
        Layer.provide(Layer.succeed(HttpClient.HttpClient, ClerkTest.httpClient(emulator)))
      )
    )
    /** One call raced against `patience`: "done" when the call finished first, "waiting" when it did not. */
    return (patience: Duration.DurationInput) =>
      Effect.raceFirst(
        Users.count().pipe(Effect.provide(context), Effect.as("done" as const)),
        Effect.sleep(patience).pipe(Effect.as("waiting" as const))
      )
  })

/** Everything logged, into `lines` (the layer's build and every call run under it). */
const capture = (lines: Array<Line>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => {
      lines.push({ level: logLevel.label, message: Array.isArray(message) ? message.join(" ") : String(message) })
    })
  )

/** Calls until one is throttled (Redis back and answering), at most ~30 s; how many went through before it. */
const untilThrottled = (call: (patience: Duration.DurationInput) => Effect.Effect<"done" | "waiting", unknown>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100; i++) {
      if ((yield* call("2 seconds")) === "waiting") return true
      yield* Effect.sleep("300 millis")
    }
    return false
  })

let stderr: Array<string> = []
let lines: Array<Line> = []
beforeEach(() => {
  stderr = []
  lines = []
  vi.spyOn(console, "error").mockImplementation((...args: Array<unknown>) => {
    stderr.push(args.map(String).join(" "))
  })
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const warnings = (lines: ReadonlyArray<Line>) =>
  lines.filter((line) => line.level === "WARN" && line.message.includes("rate limiter store unavailable"))
const recoveries = (lines: ReadonlyArray<Line>) =>
  lines.filter((line) => line.level === "INFO" && line.message.includes("rate limiter store answers again"))

describe("ClerkRateLimitRedis when Redis fails after the build", () => {
  it.live(
    "a hung Redis (SIGSTOP): each call goes through unthrottled within the deadline, one warning; SIGCONT: throttled again",
    () =>
      Effect.gen(function*() {
        const port = yield* Effect.promise(freePort)
        const server = yield* redisServer(port)
        const call = yield* limited(port)
        expect(yield* call("20 seconds")).toBe("done") // the hour's only token
        server.kill("SIGSTOP")
        // throttled, each would wait an hour; hung on Redis, each would wait forever
        for (let i = 0; i < 3; i++) expect(yield* call("20 seconds")).toBe("done")
        expect(warnings(lines)).toHaveLength(1)
        expect(warnings(lines)[0]!.message).toContain("did not answer within 500 ms")
        server.kill("SIGCONT")
        expect(yield* untilThrottled(call)).toBe(true)
        expect(recoveries(lines)).toHaveLength(1)
        expect(warnings(lines)).toHaveLength(1)
        expect(stderr.filter((line) => line.includes("ioredis"))).toEqual([])
      }).pipe(Effect.scoped, Effect.provide(capture(lines))),
    120_000
  )

  it.live(
    "a Redis shut down: calls go through unthrottled at once, no ioredis output on stderr; restarted: throttled again",
    () =>
      Effect.gen(function*() {
        const port = yield* Effect.promise(freePort)
        const first = yield* redisServer(port)
        const call = yield* limited(port)
        expect(yield* call("20 seconds")).toBe("done")
        first.kill("SIGTERM")
        yield* exited(first)
        for (let i = 0; i < 5; i++) {
          expect(yield* call("20 seconds")).toBe("done")
          yield* Effect.sleep("200 millis") // ioredis tries to reconnect meanwhile (each attempt an `error` event)
        }
        expect(warnings(lines)).toHaveLength(1)
        yield* redisServer(port)
        expect(yield* untilThrottled(call)).toBe(true)
        expect(recoveries(lines)).toHaveLength(1)
        expect(warnings(lines)).toHaveLength(1)
        expect(stderr.filter((line) => line.includes("ioredis") || line.includes("ECONNREFUSED"))).toEqual([])
      }).pipe(Effect.scoped, Effect.provide(capture(lines))),
    120_000
  )

  it.live("an unusable commandTimeout fails the build with a ConfigError naming it, before connecting", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [0, "commandTimeout must be more than zero, got 0"],
        [-1, "commandTimeout must not be negative or NaN, got -1"],
        [Infinity, "commandTimeout must be finite (at most 2147483647 ms), got Infinity"],
        ["soon", "commandTimeout must be a duration"]
      ]
      for (const [commandTimeout, message] of cases) {
        const error = yield* Effect.flip(Effect.scoped(Layer.build(
          // `as never`: the values an untyped caller (or a config file) can pass; port 1: nothing is connected to
          ClerkRateLimitRedis.layer({ redis: { host: "127.0.0.1", port: 1 }, commandTimeout: commandTimeout as never })
            .pipe(
              Layer.provide(ClerkClient.layer({ secretKey: Redacted.make("sk_test_x") })),
              Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("unused"))))
            )
        )))
        expect(error._tag, message).toBe("ConfigError")
        expect(String(error), message).toContain(`ClerkRateLimitRedis: ${message}`)
      }
    }))
})
