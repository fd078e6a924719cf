/**
 * The Redis-backed `ClerkRateLimit`: every replica that points at the same Redis shares one budget per Clerk
 * instance. Uses `@effect/experimental`'s `RateLimiter` over a Redis store of its own (the same scripts and keys as
 * `@effect/experimental`'s, on an `ioredis` client configured to fail fast). Import it from
 * `@effect-clerk/core/ClerkRateLimitRedis` (kept out of the main entry so `ioredis` stays optional).
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { RedisOptions } from "ioredis"
import * as ClerkClient from "./ClerkClient.js"
import * as ClerkRateLimit from "./ClerkRateLimit.js"
import { durationOf, readOption, show, unreadable } from "./internal/config.js"
import { limiterOptions } from "./internal/rateLimitOptions.js"
import { scrubber } from "./internal/redact.js"
import { makeClient, makeStore } from "./internal/redisStore.js"

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
  /**
   * ioredis's options, and the keys' `prefix` (default `"effect-clerk:"`). The layer connects the client itself and
   * sets `lazyConnect: true`, `enableOfflineQueue: false`, `maxRetriesPerRequest: 0` and
   * `autoResendUnfulfilledCommands: false`, so a request never waits for a reconnect.
   */
  readonly redis: RedisOptions & { readonly prefix?: string | undefined }
  /** How long to wait for Redis at build time (default 2 s; more than zero, at most 2³¹−1 ms, a timer's limit). */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /**
   * How long one request waits for its token check in Redis once built (default 500 ms; more than zero, at most
   * 2³¹−1 ms). Past it, or when Redis is disconnected (at once), the request goes through without a token.
   *
   * @since 0.2.0
   */
  readonly commandTimeout?: Duration.DurationInput | undefined
}

/** Where Redis is, for messages: host and port as given (shown safely), or ioredis's defaults. */
const whereOf = (options: RedisOptions): string => {
  const host: unknown = options.host
  const port: unknown = options.port
  return `${host === undefined ? "127.0.0.1" : typeof host === "string" ? host : show(host)}:${
    port === undefined ? 6379 : typeof port === "number" ? port : show(port)
  }`
}

/**
 * The owned client, connected within `timeout` (or `RedisUnavailable`, the client closed), closed with the scope. It
 * is closed with `disconnect()`, not `quit()`: a `QUIT` sent to a Redis that hangs would never be answered.
 */
const connect = (options: RedisOptions, timeout: Duration.Duration) =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const client = yield* Effect.acquireRelease(
      Effect.sync(() =>
        makeClient({ ...options, connectTimeout: options.connectTimeout ?? Duration.toMillis(timeout) }, runtime)
      ),
      (client) => Effect.sync(() => client.redis.disconnect())
    )
    const why = (cause: unknown) => {
      const reason = client.lastError() ?? cause
      return reason instanceof Error ? reason.message : String(reason)
    }
    yield* Effect.tryPromise({
      try: () => client.redis.connect(),
      catch: (cause) =>
        new RedisUnavailable({ message: `Redis unreachable at ${whereOf(options)}: ${why(cause)}`, cause })
    }).pipe(
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new RedisUnavailable({
            message: `Redis at ${whereOf(options)} did not answer within ${Duration.format(timeout)}`
          })
      })
    )
    return client.redis
  })

/** The longest timer Node runs (ioredis's connect timer included): a longer one fires after 1 ms instead. */
const maxTimerMillis = 2 ** 31 - 1

/** A `ConfigError` naming the option at fault. */
const invalid = (problem: string) =>
  Effect.fail(ConfigError.InvalidData(["ClerkRateLimitRedis"], `ClerkRateLimitRedis: ${problem}`))

/** A timeout to use (`connectTimeout`, `commandTimeout`), or a `ConfigError` naming the option (as `ClerkRateLimit`'s own options are checked). */
const timeoutOption = (
  name: string,
  input: unknown,
  fallback: Duration.Duration,
  scrub: (text: string) => string
): Effect.Effect<Duration.Duration, ConfigError.ConfigError> => {
  if (input === undefined) return Effect.succeed(fallback)
  const decoded = durationOf(input, true, scrub)
  if (Either.isLeft(decoded)) return invalid(`${name} ${decoded.left}`)
  return Duration.toMillis(decoded.right) > maxTimerMillis
    ? invalid(`${name} must be finite (at most ${maxTimerMillis} ms), got ${show(input, scrub)}`)
    : Effect.succeed(decoded.right)
}

/** One option, read once: a throwing getter or Proxy is a `ConfigError`, not a defect. */
const option = (options: object, key: string): Effect.Effect<unknown, ConfigError.ConfigError> =>
  Effect.suspend(() => Either.match(readOption(options, key), { onLeft: invalid, onRight: Effect.succeed }))

/** Where a URL's parts go in ioredis's options, for a `redis` (or `redis.host`) given as a URL. */
const urlHint = "pass the URL's parts instead ({ host, port, username, password, db })"

/** `redis` copied into a plain object (its own enumerable keys, as ioredis reads them), or why it cannot be. */
const copyRedis = (
  given: unknown,
  scrub: (text: string) => string
): Either.Either<RedisOptions & { readonly prefix?: string | undefined }, string> => {
  try {
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
      const url = typeof given === "string" && given.includes("://") ? ` (a URL is not taken: ${urlHint})` : ""
      return Either.left(
        `redis must be an object of ioredis options ({ host, port, … }; {} for 127.0.0.1:6379)${url}, got ${
          show(given, scrub)
        }`
      )
    }
    return Either.right({ ...given })
  } catch (cause) {
    return Either.left(`redis ${unreadable(cause)}`)
  }
}

/**
 * The options read once and checked: the limiter's (as `ClerkRateLimit` checks them), `connectTimeout`, and `redis`
 * copied (its own enumerable keys, as ioredis reads them) into a plain object. `redis` must be an object (`{}` is
 * ioredis's defaults, 127.0.0.1:6379; a getter or Proxy that throws is refused); `redis.host` must not be a URL or
 * hold user info (`@`: ioredis would look it up as a name, and print it), `redis.port` must be 0–65535. `commandTimeout` is checked as
 * `connectTimeout` is. A value a problem shows goes through `show` (`scrub`: the client's key; a URL's user info
 * masked).
 */
const readOptions = (options: unknown, scrub: (text: string) => string) =>
  Effect.gen(function*() {
    if (typeof options !== "object" || options === null) {
      return yield* invalid(`the options must be an object with \`redis\`, got ${show(options, scrub)}`)
    }
    const limiter = limiterOptions(options, scrub)
    if (Either.isLeft(limiter)) return yield* invalid(limiter.left)
    const timeout = yield* Effect.flatMap(
      option(options, "connectTimeout"),
      (input) => timeoutOption("connectTimeout", input, Duration.seconds(2), scrub)
    )
    const commandTimeout = yield* Effect.flatMap(
      option(options, "commandTimeout"),
      (input) => timeoutOption("commandTimeout", input, Duration.millis(500), scrub)
    )
    const redis = copyRedis(yield* option(options, "redis"), scrub)
    if (Either.isLeft(redis)) return yield* invalid(redis.left)
    const host: unknown = redis.right.host
    if (typeof host === "string" && (host.includes("@") || host.includes("://"))) {
      return yield* invalid(
        `redis.host must be a host name or address, not a URL or user info: ${urlHint}, got ${show(host, scrub)}`
      )
    }
    const port: unknown = redis.right.port
    if (port !== undefined && !portPattern.test(String(port))) {
      return yield* invalid(`redis.port must be a port number 0–65535, got ${show(port, scrub)}`)
    }
    return { limiter: limiter.right, timeout, commandTimeout, redis: redis.right }
  })

/** A port as ioredis takes it (a number or its digits), 0–65535. */
const portPattern = /^(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|\d{1,4})$/

/**
 * The shared limiter. Fails at build time with `RedisUnavailable` (within `connectTimeout`) when Redis cannot be
 * reached, instead of hanging; with a `ConfigError` naming the option, before connecting, when an option cannot work:
 * the options not an object, `redis` not an object (`{}` is ioredis's defaults; a URL string is not taken: pass its
 * parts) or with a `host` that is a URL or holds user info (`@`) or a `port` outside 0–65535, `connectTimeout` or `commandTimeout` not a duration
 * above zero and at most 2³¹−1 ms (negative, `NaN`, `Infinity`, not a duration), or the limiter's options as
 * `ClerkRateLimit` checks them (`window` finite). Each option is read once; a getter or Proxy that throws is refused.
 * A value the error shows is cut short, with any Clerk key redacted and a URL's user name and password as `***`.
 * Once built, a Redis that fails or hangs never holds a request: each token check waits at most `commandTimeout`
 * (none while disconnected), the request then goes through without a token, and the store's health is logged on
 * change only (a warning when it fails, an info line when it answers again and throttling resumes).
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
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const client = yield* ClerkClient.ClerkClient
      const checked = yield* readOptions(options, scrubber(client.config.secretKey))
      const { prefix = "effect-clerk:", ...redisOptions } = checked.redis
      const redis = yield* connect(redisOptions, checked.timeout)
      return ClerkRateLimit.layerWithLimiter(checked.limiter).pipe(
        Layer.provide(RateLimiter.layer),
        Layer.provide(
          Layer.succeed(RateLimiter.RateLimiterStore, makeStore(redis, prefix, checked.commandTimeout))
        )
      )
    })
  )
