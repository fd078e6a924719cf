import * as Effect from "effect/Effect"
import type * as FiberRef from "effect/FiberRef"
import { currentInvalidOverride } from "./config.js"
import { currentOverride as currentRetryOverride, readOverride } from "./retryOverride.js"
import { currentTimeout, readTimeout } from "./timeoutOverride.js"

/**
 * What `Endpoint.call` reads from the fiber before sending: `undefined` when the per-call overrides (timeout,
 * retry policy) can be used as they are (the usual case: none, or set by `withTimeout`/`ClerkRetry.withOptions`);
 * a message when one cannot (set to an unusable value by those combinators, or directly with `Effect.locally`: the
 * call fails with `InvalidInput`, nothing sent); or, for a usable value set directly, a function running the call
 * under a checked copy of it, so that the value is read exactly once and what was checked is what is used.
 *
 * @internal
 */
export const readOverrides = (
  fiber: { readonly getFiberRef: <A>(ref: FiberRef.FiberRef<A>) => A }
): undefined | string | (<A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) => {
  const invalid = fiber.getFiberRef(currentInvalidOverride)
  if (invalid !== undefined) return invalid
  const timeoutValue = fiber.getFiberRef(currentTimeout)
  const timeout = readTimeout(timeoutValue)
  if (typeof timeout === "string") return `ClerkClient.currentTimeout: ${timeout}`
  const retryValue = fiber.getFiberRef(currentRetryOverride)
  const retry = readOverride(retryValue)
  if (typeof retry === "string") return `ClerkRetry.currentOverride: ${retry}`
  if (timeout === timeoutValue && retry === retryValue) return undefined
  return <A, E, R>(self: Effect.Effect<A, E, R>) => {
    const timed = timeout === timeoutValue ? self : Effect.locally(self, currentTimeout, timeout)
    return retry === retryValue ? timed : Effect.locally(timed, currentRetryOverride, retry)
  }
}
