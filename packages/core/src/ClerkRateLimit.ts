/**
 * `ClerkRateLimit`: a client-side token bucket per Clerk instance, at Clerk's own rate by default (`sk_live_`
 * keys 1000 requests / 10 s, `sk_test_` 100 / 10 s), holding one second's refill less than Clerk's bucket (its
 * first requests may reach Clerk late: Clerk's bucket starts when they arrive). Requests wait for a token instead of failing; every attempt,
 * retries included, takes one. Built on `@effect/experimental`'s `RateLimiter` (memory store here; Redis store in
 * `ClerkRateLimitRedis`, so a fleet of replicas shares one budget).
 *
 * @since 0.1.0
 */
import * as RateLimiter from "@effect/experimental/RateLimiter"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as crypto from "node:crypto"
import * as ClerkClient from "./ClerkClient.js"
import { limiterOptions } from "./internal/rateLimitOptions.js"
import { scrubber } from "./internal/redact.js"

/**
 * Options; every field defaults from the client's secret key. With neither `limit` nor `window` given, the bucket
 * refills at Clerk's rate with one second's refill less capacity (90 / 9 s for `sk_test_`, 900 / 9 s for
 * `sk_live_`); with either given, `limit` per `window` exactly (the other from Clerk's limits).
 *
 * @example
 * ```ts
 * import type { ClerkRateLimit } from "@effect-clerk/core"
 * const half: ClerkRateLimit.Options = { limit: 50, window: "10 seconds" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly limit?: number | undefined
  readonly window?: Duration.DurationInput | undefined
  /** The bucket's name; default: derived from a hash of the secret key (the key itself is never used). */
  readonly key?: string | undefined
}

/**
 * Clerk's limits for a secret key.
 *
 * @example
 * ```ts
 * import { ClerkRateLimit } from "@effect-clerk/core"
 * ClerkRateLimit.clerkLimits("sk_live_x") // { limit: 1000, window: 10 seconds }
 * ```
 * @since 0.1.0
 * @category policy
 */
export const clerkLimits = (secretKey: string): { readonly limit: number; readonly window: Duration.Duration } => ({
  limit: secretKey.startsWith("sk_live_") ? 1000 : 100,
  window: Duration.seconds(10)
})

/**
 * Clerk's limits less one second of refill in capacity, at the same rate (sk_test_: 90 per 9 s, sk_live_: 900 per
 * 9 s; one token every 100 ms or 10 ms, as Clerk refills). Clerk's bucket starts when the first request arrives, the
 * client's when it is sent: while a cold connection's first requests travel, the client's bucket refills and Clerk's
 * does not yet exist, so at full capacity a client could send one token per 100 ms of that latency too early (one 429
 * per run against a fresh clerk-emulator). The second of headroom covers a first latency of up to a second.
 */
const withHeadroom = (limits: { readonly limit: number; readonly window: Duration.Duration }) => {
  const perToken = Duration.toMillis(limits.window) / limits.limit
  const reserve = Math.floor(1000 / perToken)
  return {
    limit: limits.limit - reserve,
    window: Duration.millis((limits.limit - reserve) * perToken)
  }
}

/**
 * The bucket key for a secret key: a short SHA-256 digest, so replicas sharing a key share a bucket and the key
 * itself never reaches a store.
 *
 * @example
 * ```ts
 * import { ClerkRateLimit } from "@effect-clerk/core"
 * import { Redacted } from "effect"
 * ClerkRateLimit.bucketKey(Redacted.make("sk_test_x")) // "clerk:<16 hex chars>"
 * ```
 * @since 0.1.0
 * @category policy
 */
export const bucketKey = (secretKey: Redacted.Redacted<string>): string =>
  `clerk:${crypto.createHash("sha256").update(Redacted.value(secretKey)).digest("hex").slice(0, 16)}`

/**
 * Whether the store answers, logged on change only: the first failure is one warning (requests then go through
 * without a token), the first answer after failures one info line; the failures between are not logged again.
 */
const reasonOf = (error: RateLimiter.RateLimiterError): string => {
  const cause: unknown = error.reason === "StoreError" ? error.cause : undefined
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message
}

const storeHealth = () => {
  let failing = false
  return {
    failed: (error: RateLimiter.RateLimiterError) =>
      Effect.suspend(() => {
        if (failing) return Effect.void
        failing = true
        return Effect.logWarning(
          `rate limiter store unavailable (${
            reasonOf(error)
          }); requests go through without a token until it answers again`
        )
      }),
    answered: () =>
      Effect.suspend(() => {
        if (!failing) return Effect.void
        failing = false
        return Effect.logInfo("rate limiter store answers again; requests take a token again")
      })
  }
}

/**
 * Decorates `ClerkClient` with the limiter from the context (`RateLimiter.RateLimiter`): the building block of both
 * the memory and the Redis layers. A store failure lets the request through: Clerk enforces its limit anyway, and a
 * 429 is retried by `ClerkRetry`. The store's health is logged on change only: one warning when it starts failing,
 * one info line when it answers again. Unusable options fail the layer with a `ConfigError` naming the
 * option: `limit` must be a whole number of at least 1, `window` a finite duration above zero, `key` a non-empty string.
 * Each option is read once (getters and inherited keys count; one that throws is refused the same way).
 *
 * @example
 * ```ts
 * import { ClerkRateLimit } from "@effect-clerk/core"
 * import { RateLimiter } from "@effect/experimental"
 * import { Layer } from "effect"
 * const custom = ClerkRateLimit.layerWithLimiter({ limit: 10 }).pipe(
 *   Layer.provide(RateLimiter.layer),
 *   Layer.provide(RateLimiter.layerStoreMemory)
 * )
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerWithLimiter = (
  options: Options = {}
): Layer.Layer<ClerkClient.ClerkClient, ConfigError.ConfigError, ClerkClient.ClerkClient | RateLimiter.RateLimiter> =>
  Layer.effect(
    ClerkClient.ClerkClient,
    Effect.gen(function*() {
      const client = yield* ClerkClient.ClerkClient
      // read once: each option exactly once, and only the checked copy used; a value a problem shows is scrubbed of
      // this client's key
      const checked = limiterOptions(options, scrubber(client.config.secretKey))
      if (Either.isLeft(checked)) {
        return yield* Effect.fail(ConfigError.InvalidData(["ClerkRateLimit"], `ClerkRateLimit: ${checked.left}`))
      }
      const limiter = yield* RateLimiter.RateLimiter
      const defaults = checked.right.limit === undefined && checked.right.window === undefined
        ? withHeadroom(clerkLimits(Redacted.value(client.config.secretKey)))
        : clerkLimits(Redacted.value(client.config.secretKey))
      const limit = checked.right.limit ?? defaults.limit
      const window = checked.right.window ?? defaults.window
      const key = checked.right.key ?? bucketKey(client.config.secretKey)
      const health = storeHealth()
      const take = limiter.consume({ key, limit, window, algorithm: "token-bucket", onExceeded: "delay" }).pipe(
        Effect.tapBoth({ onFailure: health.failed, onSuccess: health.answered }),
        Effect.flatMap((result) =>
          Duration.isZero(result.delay)
            ? Effect.void
            : Effect.sleep(result.delay).pipe(Effect.withSpan("ClerkRateLimit.wait", {
              attributes: { "clerk.rate_limit.delay_ms": Duration.toMillis(result.delay) }
            }))
        ),
        Effect.catchAll(() => Effect.void)
      )
      return { config: client.config, execute: (request) => Effect.zipRight(take, client.execute(request)) }
    })
  )

/**
 * The in-memory limiter: one bucket per instance, per process.
 *
 * @example
 * ```ts
 * import { ClerkClient, ClerkRateLimit } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * const Live = ClerkRateLimit.layer().pipe(Layer.provide(ClerkClient.layerConfig()), Layer.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<ClerkClient.ClerkClient, ConfigError.ConfigError, ClerkClient.ClerkClient> =>
  layerWithLimiter(options).pipe(Layer.provide(RateLimiter.layer), Layer.provide(RateLimiter.layerStoreMemory))
