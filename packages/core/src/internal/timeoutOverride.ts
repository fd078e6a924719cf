import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import { durationOf, show, unreadable } from "./config.js"

/**
 * `ClerkClient.currentTimeout`, here so that `Endpoint.call` can check it without importing the client module.
 *
 * @internal
 */
export const currentTimeout: FiberRef.FiberRef<Option.Option<Duration.Duration>> = FiberRef.unsafeMake(
  Option.none<Duration.Duration>()
)

/** The Options this module made (`withTimeout`'s, and the copies below): checked already, plain data. */
const checked = new WeakMap<object, Option.Option<Duration.Duration>>()

const none = Option.none<Duration.Duration>()
checked.set(none, none)

/**
 * The override to store for `timeout`, a duration above zero (read once, copied), or why there is none.
 *
 * @internal
 */
export const timeoutOverride = (timeout: unknown): Either.Either<Option.Option<Duration.Duration>, string> =>
  Either.map(durationOf(timeout, true), (duration) => {
    const override = Option.some(duration)
    checked.set(override, override)
    return override
  })

/**
 * A value found in `currentTimeout` as a usable override: itself when this module made it (or it is
 * `Option.none()`), else a checked copy (a different object: run under the copy), or why it cannot be used. Set
 * directly (`Effect.locally`), anything `withTimeout` would refuse is refused: not an Option, a duration that is not
 * above zero (`Duration.zero`, `Duration.millis(-1)`, which is zero), not a duration, or a value whose reading throws.
 *
 * @internal
 */
export const readTimeout = (value: unknown): Option.Option<Duration.Duration> | string => {
  const known = typeof value === "object" && value !== null ? checked.get(value) : undefined
  if (known !== undefined) return known
  try {
    if (!Option.isOption(value)) {
      return `must be an Option of a Duration (Option.some(Duration.seconds(5)) or Option.none()), got ${show(value)}`
    }
    if (Option.isNone(value)) return none
    return Either.match(timeoutOverride(value.value), {
      onLeft: (problem) => `the timeout ${problem}`,
      onRight: (override) => override
    })
  } catch (cause) {
    return unreadable(cause)
  }
}
