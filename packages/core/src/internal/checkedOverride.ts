import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { show, unreadable } from "./config.js"

/**
 * A per-call override held in a public `FiberRef<Option<A>>` (`ClerkClient.currentTimeout`,
 * `ClerkRetry.currentOverride`), checked whether it was set by the SDK's combinator or directly with
 * `Effect.locally`. `make` checks an input (read once, copied by `check`) and returns the `Option` to store,
 * remembered as checked; `read` takes a value found in the `FiberRef`: itself when `make` made it (or it is
 * `Option.none()`), else a checked copy (a different object: run under the copy), or why it cannot be used (not an
 * Option, a value `check` refuses, a value whose reading throws).
 *
 * @internal
 */
export const make = <A>(options: {
  readonly check: (input: unknown) => Either.Either<A, string>
  /** What the value must be, for a value that is not an `Option` ("an Option of a Duration (…)"). */
  readonly expected: string
  /** How a refused value's problem reads (the timeout prefixes "the timeout"). */
  readonly describe?: (problem: string) => string
}) => {
  const checked = new WeakMap<object, Option.Option<A>>()
  const none = Option.none<A>()
  checked.set(none, none)
  const make = (input: unknown): Either.Either<Option.Option<A>, string> =>
    Either.map(options.check(input), (value) => {
      const override = Option.some(value)
      checked.set(override, override)
      return override
    })
  const read = (value: unknown): Option.Option<A> | string => {
    const known = typeof value === "object" && value !== null ? checked.get(value) : undefined
    if (known !== undefined) return known
    try {
      if (!Option.isOption(value)) return `must be ${options.expected}, got ${show(value)}`
      if (Option.isNone(value)) return none
      const describe = options.describe
      return Either.match(make(value.value), {
        onLeft: (problem) => describe === undefined ? problem : describe(problem),
        onRight: (override) => override
      })
    } catch (cause) {
      return unreadable(cause)
    }
  }
  return { make, read }
}
