/**
 * The Redis-backed limiter against a real Redis (started by scripts/vitest/redis.ts, or REDIS_URL).
 */
import { ClerkClient, ClerkRateLimit } from "@effect-clerk/core"
import * as ClerkRateLimitRedis from "@effect-clerk/core/ClerkRateLimitRedis"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"

const redisOptions = () => {
  const url = process.env["REDIS_URL"]
  if (url === undefined) throw new Error(process.env["REDIS_SETUP_ERROR"] ?? "REDIS_URL is not set")
  const parsed = new URL(url)
  return { host: parsed.hostname, port: Number(parsed.port || "6379") }
}

/** One emulator enforcing 20 requests / second; a replica is a separate runtime with its own client. */
const fleet = (limiter: (prefix: string) => Layer.Layer<ClerkClient, unknown, ClerkClient>) =>
  Effect.gen(function*() {
    const emulator = yield* ClerkEmulator.make({
      rateLimit: { limit: 20, window: "1 second" },
      validateResponses: false
    })
    const { users } = yield* emulator.seed({ users: [{ emailAddress: ["fleet@x.co"] }] })
    const prefix = `test-${Math.random().toString(36).slice(2)}:`
    const replica = () =>
      ManagedRuntime.make(
        limiter(prefix).pipe(
          Layer.provide(
            ClerkClient.layer({ secretKey: Redacted.make(emulator.secretKey), apiUrl: "http://clerk.emulator.local" })
          ),
          Layer.provide(Layer.succeed(HttpClient.HttpClient, ClerkTest.httpClient(emulator)))
        )
      )
    const replicas = [replica(), replica()]
    const burst = (runtime: ReturnType<typeof replica>) =>
      Effect.promise(() =>
        runtime.runPromise(
          Effect.forEach(Array.from({ length: 30 }), () => Effect.either(Users.get(users[0]!.id)), {
            concurrency: "unbounded"
          })
        )
      )
    const started = Date.now()
    const results = yield* Effect.all(replicas.map(burst), { concurrency: "unbounded" })
    const elapsed = Date.now() - started
    yield* Effect.promise(() => Promise.all(replicas.map((r) => r.dispose())))
    const tooMany = results.flat().filter((r) => r._tag === "Left" && r.left._tag === "TooManyRequests").length
    return { tooMany, elapsed, total: results.flat().length }
  })

describe("ClerkRateLimitRedis", () => {
  it.live(
    "two replicas share one budget through Redis: zero 429s from the enforced limit",
    () =>
      Effect.gen(function*() {
        const shared = yield* Effect.scoped(fleet((prefix) =>
          // 90% of the enforced rate: the client's bucket and Clerk's cannot start at the same instant
          ClerkRateLimitRedis.layer({ redis: { ...redisOptions(), prefix }, limit: 18, window: "1 second" })
        ))
        expect(shared.total).toBe(60)
        expect(shared.tooMany).toBe(0)
        // 60 requests through a bucket of 18 refilled at 18/s need about 2.3 s: the two replicas did share it
        expect(shared.elapsed).toBeGreaterThanOrEqual(1500)
      }),
    30_000
  )

  it.live("the same replicas with a memory limiter each (no shared budget) meet 429s", () =>
    Effect.gen(function*() {
      const separate = yield* Effect.scoped(fleet(() => ClerkRateLimit.layer({ limit: 18, window: "1 second" })))
      expect(separate.tooMany).toBeGreaterThan(0)
    }), 30_000)

  it.live("without Redis the layer fails at build time with RedisUnavailable, quickly", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const layer = ClerkRateLimitRedis.layer({ redis: { host: "127.0.0.1", port: 1 }, connectTimeout: "1 second" })
        .pipe(
          Layer.provide(ClerkClient.layer({ secretKey: Redacted.make("sk_test_x") })),
          Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("unused"))))
        )
      const error = yield* Effect.flip(Effect.scoped(Layer.build(layer)))
      expect(error._tag).toBe("RedisUnavailable")
      expect(error.message).toContain("127.0.0.1:1")
      expect(Date.now() - started).toBeLessThan(5000)
    }), 30_000)

  it.live(
    "an unusable connectTimeout fails the build with a ConfigError naming it, Redis reachable or not",
    () =>
      Effect.gen(function*() {
        const build = (connectTimeout: unknown, redis: { host: string; port: number }) =>
          // `as never`: the values an untyped caller (or a config file) can pass
          Effect.suspend(() =>
            Effect.scoped(Layer.build(
              ClerkRateLimitRedis.layer({ redis, connectTimeout: connectTimeout as never }).pipe(
                Layer.provide(ClerkClient.layer({ secretKey: Redacted.make("sk_test_x") })),
                Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("unused"))))
              )
            ))
          )
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          [-1, "connectTimeout must not be negative or NaN, got -1"],
          [NaN, "connectTimeout must not be negative or NaN, got NaN"],
          ["-2 seconds", "connectTimeout must not be negative or NaN"],
          [0, "connectTimeout must be more than zero, got 0"],
          [Infinity, "connectTimeout must be finite (at most 2147483647 ms), got Infinity"],
          ["1000 days", "connectTimeout must be finite (at most 2147483647 ms)"],
          ["soon", "connectTimeout must be a duration"],
          [true, "connectTimeout must be a duration"],
          [{ seconds: 1 }, "connectTimeout must be a duration"]
        ]
        for (const redis of [redisOptions(), { host: "127.0.0.1", port: 1 }]) {
          for (const [connectTimeout, message] of cases) {
            const error = yield* Effect.flip(build(connectTimeout, redis))
            expect(error._tag, message).toBe("ConfigError")
            expect(String(error), message).toContain(`ClerkRateLimitRedis: ${message}`)
          }
        }
        // the usable forms still build against the real Redis
        for (const connectTimeout of [1000, "1 second", undefined]) yield* build(connectTimeout, redisOptions())
      }),
    30_000
  )

  it.live(
    "unusable options fail the build with a ConfigError naming them, before connecting (no defect, no hang)",
    () =>
      Effect.gen(function*() {
        const build = (options: unknown) =>
          Effect.suspend(() =>
            Effect.scoped(Layer.build(
              // `as never`: the values an untyped caller (or a config file) can pass
              ClerkRateLimitRedis.layer(options as never).pipe(
                Layer.provide(ClerkClient.layer({ secretKey: Redacted.make("sk_test_x") })),
                Layer.provide(Layer.succeed(HttpClient.HttpClient, HttpClient.make(() => Effect.die("unused"))))
              )
            ))
          )
        const redis = redisOptions()
        const throwing = new Proxy({}, {
          get: () => {
            throw new Error("get")
          },
          ownKeys: () => {
            throw new Error("ownKeys")
          }
        })
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          [undefined, "the options must be an object with `redis`, got undefined"],
          [null, "the options must be an object with `redis`, got null"],
          [{}, "redis must be an object of ioredis options"],
          [
            { redis: null },
            "redis must be an object of ioredis options ({ host, port, … }; {} for 127.0.0.1:6379), got null"
          ],
          [{ redis: throwing }, "redis could not be read"],
          [{
            get redis() {
              throw new Error("getter")
            }
          }, "redis could not be read"],
          [{ redis, window: Infinity }, "window must be finite, got Infinity"],
          [{ redis, window: "-1 seconds" }, "window must not be negative"],
          [{ redis, limit: 0 }, "limit must be a whole number of at least 1, got 0"],
          [{ redis, key: 123 }, "key must be a non-empty string, got 123"]
        ]
        for (const [options, message] of cases) {
          const error = yield* Effect.flip(build(options))
          expect(error._tag, message).toBe("ConfigError")
          expect(String(error), message).toContain(`ClerkRateLimitRedis: ${message}`)
        }
        // the layer sets the client's offline queue itself: the user's `enableOfflineQueue: false` is no problem
        yield* build({ redis: { ...redis, enableOfflineQueue: false } })
        // a getter-held option is read (once) and applies; `{}` builds against a Redis on the default port
        yield* build({
          get redis() {
            return redis
          }
        })
      }),
    30_000
  )
})
