/**
 * The Redis-backed `ClerkRateLimit`: every replica that points at the same Redis shares one budget per Clerk
 * instance. Uses `@effect/experimental`'s Redis store (`ioredis`). Import it from `@effect-clerk/core/ClerkRateLimitRedis`
 * (kept out of the main entry so `ioredis` stays optional).
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as RateLimiterRedis from "@effect/experimental/RateLimiter/Redis"
import type * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Redis, type RedisOptions } from "ioredis"
import type * as ClerkClient from "./ClerkClient.js"
import * as ClerkRateLimit from "./ClerkRateLimit.js"

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
  /** How long to wait for Redis at build time (default 2 s). */
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

/**
 * The shared limiter. Fails at build time with `RedisUnavailable` (within `connectTimeout`) when Redis cannot be
 * reached, instead of hanging.
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
        Effect.as(
          ping(options.redis, Duration.decode(options.connectTimeout ?? "2 seconds")),
          RateLimiterRedis.layerStore({ prefix: "effect-clerk:", ...options.redis })
        )
      )
    )
  )
