/**
 * The Redis-backed `ClerkRateLimit`: every replica that points at the same Redis shares one budget per Clerk
 * instance. Uses `@effect/experimental`'s Redis store (`ioredis`). Import it from `@effect-clerk/core/ClerkRateLimitRedis`
 * (kept out of the main entry so `ioredis` stays optional).
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Redis, type RedisOptions } from "ioredis"
import type * as ClerkClient from "./ClerkClient.js"
import * as ClerkRateLimit from "./ClerkRateLimit.js"
import { durationProblem, show } from "./internal/config.js"

/**
 * Redis could not be reached when the layer was built.
 *
 * @example
 * ```ts
 * import { RedisUnavailable } from "@effect-clerk/core/ClerkRateLimitRedis"
 * const error = new RedisUnavailable({ message: "connect ECONNREFUSED 127.0.0.1:6379" })
 * ```
 * @since 0.1.0
 * @category errors
 */
export class RedisUnavailable extends Data.TaggedError("RedisUnavailable")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Options: where Redis is, and the limiter's.
 *
 * @example
 * ```ts
 * import type { Options } from "@effect-clerk/core/ClerkRateLimitRedis"
 * const options: Options = { redis: { host: "127.0.0.1", port: 6379 }, connectTimeout: "2 seconds" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options extends ClerkRateLimit.Options {
  readonly redis: RedisOptions & { readonly prefix?: string | undefined }
  /** How long to wait for Redis at build time (default 2 s; more than zero, at most 2³¹−1 ms, a timer's limit). */
  readonly connectTimeout?: Duration.DurationInput | undefined
}

const ping = (options: RedisOptions, timeout: Duration.Duration) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const redis = new Redis({
        ...options,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: Duration.toMillis(timeout)
      })
      // connection errors are reported through the failed connect() below, not as unhandled events
      redis.on("error", () => {})
      return redis
    }),
    (redis) =>
      Effect.tryPromise({
        try: async () => {
          await redis.connect()
          return await redis.ping()
        },
        catch: (cause) =>
          new RedisUnavailable({
            message: `Redis unreachable at ${options.host ?? "127.0.0.1"}:${options.port ?? 6379}: ${
              cause instanceof Error ? cause.message : String(cause)
            }`,
            cause
          })
      }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new RedisUnavailable({
              message: `Redis at ${options.host ?? "127.0.0.1"}:${options.port ?? 6379} did not answer within ${
                Duration.format(timeout)
              }`
            })
        })
      ),
    (redis) => Effect.sync(() => redis.disconnect())
  )

/** The longest timer Node runs (ioredis's connect timer included): a longer one fires after 1 ms instead. */
const maxTimerMillis = 2 ** 31 - 1

/** The connect timeout to use, or a `ConfigError` naming the option (as `ClerkRateLimit`'s own options are checked). */
const connectTimeout = (input: unknown): Effect.Effect<Duration.Duration, ConfigError.ConfigError> => {
  const fail = (problem: string) =>
    Effect.fail(ConfigError.InvalidData(["ClerkRateLimitRedis"], `ClerkRateLimitRedis: connectTimeout ${problem}`))
  if (input === undefined) return Effect.succeed(Duration.seconds(2))
  const problem = durationProblem(input, true)
  const decoded = Duration.decodeUnknown(input)
  if (problem !== undefined || Option.isNone(decoded)) return fail(problem ?? `must be a duration, got ${show(input)}`)
  const timeout = decoded.value
  return Duration.toMillis(timeout) > maxTimerMillis
    ? fail(`must be finite (at most ${maxTimerMillis} ms), got ${show(input)}`)
    : Effect.succeed(timeout)
}

/**
 * The shared limiter. Fails at build time with `RedisUnavailable` (within `connectTimeout`) when Redis cannot be
 * reached, instead of hanging; with a `ConfigError` naming the option, before connecting, when `connectTimeout` is
 * not a duration above zero and at most 2³¹−1 ms (negative, `NaN`, `Infinity`, not a duration).
 *
 * @example
 * ```ts
 * import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
 * import * as ClerkRateLimitRedis from "@effect-clerk/core/ClerkRateLimitRedis"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * const Fleet = ClerkRetry.layer().pipe(
 *   Layer.provide(ClerkRateLimitRedis.layer({ redis: { host: "127.0.0.1", port: 6379 } })),
 *   Layer.provide(ClerkClient.layerConfig()),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<ClerkClient.ClerkClient, RedisUnavailable | ConfigError.ConfigError, ClerkClient.ClerkClient> =>
  ClerkRateLimit.layerWithLimiter(options).pipe(
    Layer.provide(RateLimiter.layer),
    Layer.provide(
      Layer.unwrapEffect(
        connectTimeout(options.connectTimeout).pipe(
          Effect.flatMap((timeout) => ping(options.redis, timeout)),
          Effect.as(RateLimiterRedis.layerStore({ prefix: "effect-clerk:", ...options.redis }))
        )
      )
    )
  )
