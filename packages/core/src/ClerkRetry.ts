/**
 * `ClerkRetry`: retries with exponential backoff and jitter, Retry-After aware and idempotency aware, as a layer
 * that decorates `ClerkClient`.
 *
 * What is retried (the README, "Retries"):
 * - 429: always (Clerk refused the request), after `Retry-After` when sent (seconds or HTTP date, capped);
 * - 502, 503, 504 and connection failures before anything was sent (`ConnectError`): every method;
 * - 500, timeouts and connections lost mid-request: only requests safe to repeat (GET, DELETE, PUT, state-setting
 *   POSTs like ban/lock, and requests carrying an idempotency key). A create is never sent twice once it may
 *   have reached Clerk.
 *
 * @since 0.1.0
 */
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as ClerkClient from "./ClerkClient.js"
import { parseRetryAfter, type TransportError } from "./ClerkError.js"
import { currentInvalidOverride } from "./internal/config.js"
import {
  currentOverride as internalOverride,
  optionsOverride,
  readOverride,
  snapshotOptions
} from "./internal/retryOverride.js"
import { handOff, isTracing } from "./internal/tracing.js"

/**
 * The retry policy.
 *
 * @example
 * ```ts
 * import type { ClerkRetry } from "@effect-clerk/core"
 * const patient: Partial<ClerkRetry.Options> = { maxAttempts: 8, maxElapsed: "5 minutes" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts: number
  /** First backoff delay (default 500 ms, Clerk's spec hint). */
  readonly initialDelay: Duration.DurationInput
  /** Backoff growth (default 1.5). */
  readonly multiplier: number
  /** Largest backoff delay (default 60 s). */
  readonly maxDelay: Duration.DurationInput
  /** No retry starts after this much time since the first attempt (default 2 minutes). */
  readonly maxElapsed: Duration.DurationInput
  /** Cap on a `Retry-After` wait (default 60 s); a longer one is not waited for. */
  readonly maxRetryAfter: Duration.DurationInput
  /** Randomize each backoff delay between 50% and 100% of its value (default true). */
  readonly jitter: boolean
}

/**
 * The defaults, after Clerk's spec hint (`x-speakeasy-retries`: 500 ms, ×1.5, 60 s).
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * console.log(ClerkRetry.defaults.maxAttempts) // 5
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaults: Options = {
  maxAttempts: 5,
  initialDelay: "500 millis",
  multiplier: 1.5,
  maxDelay: "60 seconds",
  maxElapsed: "2 minutes",
  maxRetryAfter: "60 seconds",
  jitter: true
}

/**
 * Per-call overrides: `withOptions` and `disabled` set it. Set directly (`Effect.locally`), a value `withOptions`
 * would refuse is refused the same way: every operation inside fails with `InvalidInput` naming the option, nothing
 * sent (a request reaching `ClerkClient.execute` another way is sent under the layer's own policy).
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * import { FiberRef } from "effect"
 * const current = FiberRef.get(ClerkRetry.currentOverride)
 * ```
 * @since 0.1.0
 * @category fiber refs
 */
export const currentOverride: FiberRef.FiberRef<Option.Option<Partial<Options>>> = internalOverride

/**
 * How a retry waits between attempts: `Effect.sleep` on the current `Clock` by default. `ClerkTest.layer` sets it to
 * move the `TestClock` forward by the wait instead, so a retry under `it.effect` finishes on its own.
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * import { Users } from "@effect-clerk/users"
 * import { Effect } from "effect"
 * // log each wait instead of sleeping (e.g. in a dry run)
 * const dryRun = Users.get("user_1").pipe(
 *   Effect.locally(ClerkRetry.currentSleep, (duration) => Effect.log(`would wait ${duration}`))
 * )
 * ```
 * @since 0.2.0
 * @category fiber refs
 */
export const currentSleep: FiberRef.FiberRef<(duration: Duration.Duration) => Effect.Effect<void>> = FiberRef
  .unsafeMake<(duration: Duration.Duration) => Effect.Effect<void>>(Effect.sleep)

/**
 * Runs `self` with a different retry policy for its Clerk requests. Options that `layer` would refuse
 * (`maxAttempts: NaN`, `Infinity` or `1.5`, a negative delay...) send nothing: every operation inside fails with
 * `InvalidInput` naming the option.
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * import { Users } from "@effect-clerk/users"
 * const persistent = Users.get("user_1").pipe(ClerkRetry.withOptions({ maxAttempts: 10 }))
 * ```
 * @since 0.1.0
 * @category combinators
 */
export const withOptions: {
  (options: Partial<Options>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options: Partial<Options>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, options: Partial<Options>): Effect.Effect<A, E, R> => {
    // read once, here: the checked copy is what runs (a later change to `options` does not reach it)
    const override = optionsOverride(options)
    return Either.isRight(override)
      ? Effect.locally(self, currentOverride, override.right)
      : Effect.locally(self, currentInvalidOverride, `ClerkRetry.withOptions: ${override.left}`)
  }
)

/**
 * Runs `self` without retries.
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * import { Users } from "@effect-clerk/users"
 * const once = ClerkRetry.disabled(Users.get("user_1"))
 * ```
 * @since 0.1.0
 * @category combinators
 */
export const disabled = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  withOptions(self, { maxAttempts: 1 })

/**
 * Why an outcome may be retried, or `undefined` when it may not.
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * import { Either } from "effect"
 * ClerkRetry.retryReason(true, Either.right({ status: 503, headers: {}, body: "" })) // "status 503"
 * ```
 * @since 0.1.0
 * @category policy
 */
export const retryReason = (
  idempotent: boolean,
  outcome: { readonly _tag: "Right"; readonly right: ClerkClient.ClerkResponse } | {
    readonly _tag: "Left"
    readonly left: TransportError
  }
): string | undefined => {
  if (outcome._tag === "Left") {
    const error = outcome.left
    if (error.reason === "ConnectError") return "connection failed before sending"
    if (error.reason === "ResponseTooLarge") return undefined
    return idempotent ? `transport ${error.reason}` : undefined
  }
  const status = outcome.right.status
  if (status === 429) return "status 429"
  if (status === 502 || status === 503 || status === 504) return `status ${status}`
  if (status === 500 && idempotent) return "status 500"
  return undefined
}

/**
 * The backoff before retry number `retry` (1-based), without jitter.
 *
 * @example
 * ```ts
 * import { ClerkRetry } from "@effect-clerk/core"
 * ClerkRetry.backoff(ClerkRetry.defaults, 3) // 500 ms × 1.5² = 1125 ms
 * ```
 * @since 0.1.0
 * @category policy
 */
export const backoff = (options: Options, retry: number): Duration.Duration => {
  const initial = Duration.toMillis(Duration.decode(options.initialDelay))
  const max = Duration.toMillis(Duration.decode(options.maxDelay))
  return Duration.millis(Math.min(max, initial * Math.pow(options.multiplier, retry - 1)))
}

/**
 * Decorates an `execute` function with the policy (what the layer does; exposed for custom clients). `base` is read
 * here, once (each option exactly once, getters and inherited options too), and checked as `layer` checks its
 * options; only the checked copy is used, and an option left `undefined` takes its default. An unusable `base`
 * (`maxAttempts: NaN`, a negative delay, a getter that throws...) is refused with a `ConfigError` naming the option
 * (`ClerkRetry.wrap: maxAttempts must be ...`): inside `ClerkClient.decorate`, as below, the layer fails to build with
 * it and nothing is sent; called anywhere else, `wrap` throws it.
 *
 * @example
 * ```ts
 * import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
 * const decorated = ClerkClient.decorate((execute) => ClerkRetry.wrap(execute, ClerkRetry.defaults))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const wrap = (
  execute: ClerkClient.ClerkClientService["execute"],
  base: Options
): ClerkClient.ClerkClientService["execute"] => {
  // read once, here: the checked copy is what runs (a later change to `base` does not reach it)
  const snapshot = snapshotOptions(base)
  if (Either.isLeft(snapshot)) {
    // `ClerkClient.decorate` turns this into its layer's failure
    throw ConfigError.InvalidData(["ClerkRetry"], `ClerkRetry.wrap: ${snapshot.left}`)
  }
  return retrying(execute, { ...defaults, ...snapshot.right })
}

/** `wrap` over a checked policy. */
const retrying = (
  execute: ClerkClient.ClerkClientService["execute"],
  base: Options
): ClerkClient.ClerkClientService["execute"] =>
(request) =>
  // the spans `ClerkRetry` and `ClerkRetry.attempt` (and their annotations) only under an installed tracer, as the
  // operation's own span (internal/tracing.ts): under Effect's native tracer they would cost ~10 µs each per call
  Effect.withFiberRuntime((fiber) => {
    const traced = isTracing(fiber)
    const attempts = Effect.gen(function*() {
      const override = yield* FiberRef.get(currentOverride)
      // a checked snapshot (withOptions', or Endpoint.call's copy of one set directly), used as is; an unusable
      // override set directly: `Endpoint.call` refuses it; any other caller gets the layer's policy
      const read = readOverride(override)
      const options: Options = typeof read === "string" || Option.isNone(read) ? base : { ...base, ...read.value }
      const maxElapsed = Duration.toMillis(Duration.decode(options.maxElapsed))
      const maxRetryAfter = Duration.toMillis(Duration.decode(options.maxRetryAfter))
      const started = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      let attempt = 1
      while (true) {
        const sent = execute(request)
        // the spans end with the status alone (`handOff`): a tracer gets their exits, and the response is unscrubbed
        const response = handOff<ClerkClient.ClerkResponse>()
        const outcome = yield* Effect.either(
          traced
            ? response.take(
              Effect.withSpan(response.keep(sent), "ClerkRetry.attempt", {
                attributes: { "clerk.retry.attempt": attempt }
              })
            )
            : sent
        )
        const reason = retryReason(request.idempotent, outcome)
        const done = (cause: string) =>
          traced
            ? Effect.as(
              Effect.annotateCurrentSpan({ "clerk.retry.attempts": attempt, "clerk.retry.stopped": cause }),
              outcome
            )
            : Effect.succeed(outcome)
        if (reason === undefined) return yield* done("final outcome")
        if (attempt >= options.maxAttempts) return yield* done(`max attempts (${options.maxAttempts})`)
        const now = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        let delayMillis: number
        const retryAfter = outcome._tag === "Right" && outcome.right.status === 429
          ? parseRetryAfter(outcome.right.headers["retry-after"], now)
          : undefined
        if (retryAfter !== undefined) {
          delayMillis = Duration.toMillis(retryAfter)
          if (delayMillis > maxRetryAfter) return yield* done(`Retry-After ${delayMillis} ms over the cap`)
        } else {
          const full = Duration.toMillis(backoff(options, attempt))
          delayMillis = options.jitter ? Math.round(full * (0.5 + (yield* Random.next) / 2)) : full
        }
        if (now + delayMillis - started > maxElapsed) return yield* done(`max elapsed (${maxElapsed} ms)`)
        if (traced) yield* Effect.annotateCurrentSpan({ "clerk.retry.attempts": attempt + 1 })
        yield* Effect.logDebug(`retrying ${request.operation} in ${delayMillis} ms (${reason})`)
        const sleep = yield* FiberRef.get(currentSleep)
        yield* sleep(Duration.millis(delayMillis))
        attempt++
      }
    }).pipe(
      Effect.flatMap((
        outcome
      ) => (outcome._tag === "Right" ? Effect.succeed(outcome.right) : Effect.fail(outcome.left)))
    )
    if (!traced) return attempts
    const response = handOff<ClerkClient.ClerkResponse>()
    return response.take(Effect.withSpan(response.keep(attempts), "ClerkRetry", {
      attributes: { "clerk.operation": request.operation, "clerk.idempotent": request.idempotent }
    }))
  })

/**
 * Retries as a layer over `ClerkClient`: provide it on top of the client (and of `ClerkRateLimit`, so every attempt
 * takes a token). Unusable options fail the layer with a `ConfigError` naming the option: `maxAttempts` must be a
 * whole number of at least 1, `multiplier` a finite number of at least 1, the delays durations (not negative),
 * `jitter` a boolean.
 *
 * @example
 * ```ts
 * import { ClerkClient, ClerkRateLimit, ClerkRetry } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * const Live = ClerkRetry.layer().pipe(
 *   Layer.provide(ClerkRateLimit.layer()),
 *   Layer.provide(ClerkClient.layerConfig()),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Partial<Options> = {}
): Layer.Layer<ClerkClient.ClerkClient, ConfigError.ConfigError, ClerkClient.ClerkClient> => {
  // read once, here: each option (own, inherited or a getter) exactly once, and only the checked copy used
  const snapshot = snapshotOptions(options)
  return Either.isRight(snapshot)
    ? ClerkClient.decorate((execute) => retrying(execute, { ...defaults, ...snapshot.right }))
    : Layer.fail(ConfigError.InvalidData(["ClerkRetry"], `ClerkRetry.layer: ${snapshot.left}`))
}
