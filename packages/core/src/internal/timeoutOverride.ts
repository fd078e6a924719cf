import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as CheckedOverride from "./checkedOverride.js"
import { durationOf } from "./config.js"

/**
 * `ClerkClient.currentTimeout`, here so that `Endpoint.call` can check it without importing the client module.
 *
 * @internal
 */
export const currentTimeout: FiberRef.FiberRef<Option.Option<Duration.Duration>> = FiberRef.unsafeMake(
  Option.none<Duration.Duration>()
)

const override = CheckedOverride.make({
  check: (input) => durationOf(input, true),
  expected: "an Option of a Duration (Option.some(Duration.seconds(5)) or Option.none())",
  describe: (problem) => `the timeout ${problem}`
})

/**
 * The override to store for `timeout`, a duration above zero (read once, copied), or why there is none.
 *
 * @internal
 */
export const timeoutOverride: (timeout: unknown) => Either.Either<Option.Option<Duration.Duration>, string> =
  override.make

/**
 * A value found in `currentTimeout` as a usable override: itself when this module made it (or it is
 * `Option.none()`), else a checked copy (a different object: run under the copy), or why it cannot be used. Set
 * directly (`Effect.locally`), anything `withTimeout` would refuse is refused: not an Option, a duration that is not
 * above zero (`Duration.zero`, `Duration.millis(-1)`, which is zero), not a duration, or a value whose reading throws.
 *
 * @internal
 */
export const readTimeout: (value: unknown) => Option.Option<Duration.Duration> | string = override.read
