import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { countProblem, durationOf, readOption, show } from "./config.js"

/** `ClerkRateLimit.Options`, read and checked. @internal */
export interface LimiterOptions {
  readonly limit?: number | undefined
  readonly window?: Duration.Duration | undefined
  readonly key?: string | undefined
}

/**
 * `ClerkRateLimit`'s options read once each (own, inherited or getters) into a checked plain object, or why they
 * cannot make a bucket (the first option at fault): `limit` a whole number of at least 1, `window` a finite duration
 * above zero (an infinite window never refills: every call past `limit` would wait forever), `key` a non-empty
 * string. A value a problem shows goes through `show` (with `scrub`, the client's key scrubber, when known).
 *
 * @internal
 */
export const limiterOptions = (
  options: unknown,
  scrub?: (text: string) => string
): Either.Either<LimiterOptions, string> =>
  Either.gen(function*() {
    if (typeof options !== "object" || options === null) {
      return yield* Either.left(`the options must be an object, got ${show(options, scrub)}`)
    }
    const limit = yield* readOption(options, "limit")
    const limitProblem = limit === undefined ? undefined : countProblem(limit, 1, false, scrub)
    if (limitProblem !== undefined) return yield* Either.left(`limit ${limitProblem}`)
    const windowInput = yield* readOption(options, "window")
    const window = windowInput === undefined
      ? undefined
      : yield* Either.mapLeft(durationOf(windowInput, true, scrub), (problem) => `window ${problem}`)
    if (window !== undefined && !Duration.isFinite(window)) {
      return yield* Either.left(`window must be finite, got ${show(windowInput, scrub)}`)
    }
    const key = yield* readOption(options, "key")
    if (key !== undefined && (typeof key !== "string" || key === "")) {
      return yield* Either.left(`key must be a non-empty string, got ${show(key, scrub)}`)
    }
    return {
      limit: typeof limit === "number" ? limit : undefined,
      window,
      key: typeof key === "string" ? key : undefined
    }
  })
