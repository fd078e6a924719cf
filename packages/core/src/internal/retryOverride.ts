import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import type { Options } from "../ClerkRetry.js"
import * as CheckedOverride from "./checkedOverride.js"
import { countProblem, durationOf, readOption, show } from "./config.js"

/**
 * `ClerkRetry.currentOverride`, here so that `Endpoint.call` can check it without importing the retry module.
 *
 * @internal
 */
export const currentOverride: FiberRef.FiberRef<Option.Option<Partial<Options>>> = FiberRef.unsafeMake(
  Option.none<Partial<Options>>()
)

const durations = ["initialDelay", "maxDelay", "maxElapsed", "maxRetryAfter"] as const

type Snapshot = { -readonly [K in keyof Options]?: Options[K] }

/** One option, read once: its checked value, `undefined` when not given, or why it cannot be used. */
const option = (options: object, key: keyof Options): Either.Either<unknown, string> => {
  const read = readOption(options, key)
  if (Either.isLeft(read)) return read
  const value = read.right
  if (value === undefined) return Either.right(undefined)
  const problem = (text: string | undefined) => text === undefined ? Either.right(value) : Either.left(`${key} ${text}`)
  switch (key) {
    case "maxAttempts":
      return problem(countProblem(value, 1))
    case "multiplier":
      return problem(
        typeof value === "number" && Number.isFinite(value) && value >= 1
          ? undefined
          : `must be a finite number of at least 1, got ${show(value)}`
      )
    case "jitter":
      return problem(typeof value === "boolean" ? undefined : `must be a boolean, got ${show(value)}`)
    default:
      return Either.mapLeft(durationOf(value, false), (text) => `${key} ${text}`)
  }
}

/**
 * `options` read once into a plain object holding only the known options that were given (own, inherited or
 * getters alike, each read exactly once, durations copied), checked: or why they cannot drive the retry loop (the
 * first option at fault; a getter or Proxy that throws is at fault). Only the copy is used afterwards.
 *
 * @internal
 */
export const snapshotOptions = (options: unknown): Either.Either<Partial<Options>, string> => {
  if (typeof options !== "object" || options === null) {
    return Either.left(`the options must be an object, got ${show(options)}`)
  }
  const snapshot: Snapshot = {}
  for (const key of ["maxAttempts", "multiplier", "jitter", ...durations] as const) {
    const read = option(options, key)
    if (Either.isLeft(read)) return Either.left(read.left)
    if (read.right !== undefined) Object.assign(snapshot, { [key]: read.right })
  }
  return Either.right(snapshot)
}

const override = CheckedOverride.make({
  check: snapshotOptions,
  expected: "an Option of the options (Option.some({ … }) or Option.none())"
})

/**
 * The override to store for `options` (a checked snapshot), or why there is none.
 *
 * @internal
 */
export const optionsOverride: (options: unknown) => Either.Either<Option.Option<Partial<Options>>, string> =
  override.make

/**
 * A value found in `currentOverride` as a usable override: itself when this module made it (or `Option.none()`),
 * else a checked snapshot (a different object: run under it), or why it cannot be used (set directly with
 * `Effect.locally`, which checks nothing).
 *
 * @internal
 */
export const readOverride: (value: unknown) => Option.Option<Partial<Options>> | string = override.read
