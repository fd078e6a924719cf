import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import { scrubbedExcerpt, scrubber } from "./redact.js"

/** The most characters of a string value an error message shows (after redaction): enough to recognise it. */
const maxShown = 40

/** The start of a long text that is looked at: more than `maxShown` plus the longest match of a key (hex, 512). */
const shownWindow = 4096

/** A URL's scheme and `//` (`https://`, `redis://`). */
const schemePrefix = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//

/**
 * `text` with each URL's user name and password (`scheme://user:password@host`, or without the scheme,
 * `user:password@host`) as `***`: in every whitespace-free run holding an `@`, what lies between the scheme's `//` (or
 * the start) and the last `@`, so a password holding `@`, `/` or `:` is covered (an e-mail address becomes `***@host`).
 *
 * @internal
 */
export const maskUserinfo = (text: string): string =>
  text.includes("@")
    ? text.replace(/\S*@\S*/g, (token) => {
      const scheme = schemePrefix.exec(token)?.[0] ?? ""
      const at = token.lastIndexOf("@")
      return at > scheme.length ? `${scheme}***${token.slice(at)}` : token
    })
    : text

/**
 * A string value as an error message may show it: user info of URLs masked, then every Clerk secret key (any
 * `sk_test_…`/`sk_live_…` token, any `Bearer …` value and, with `scrub` for a known key, that key in any form the
 * scrubber knows) redacted, then cut to 40 characters (`…` when cut).
 *
 * @internal
 */
export const shownText = (text: string, scrub: (text: string) => string = scrubber(undefined)): string =>
  scrubbedExcerpt(scrub, maskUserinfo(text.length > shownWindow ? text.slice(0, shownWindow) : text), maxShown)

/**
 * What kind of value `value` is, for a message that must not show it: `null`, `undefined`, `a string`, `an array`,
 * `an object`... Never throws (a revoked Proxy is `an object`).
 *
 * @internal
 */
export const kind = (value: unknown): string => {
  if (value === null || value === undefined) return String(value)
  const type = typeof value
  if (type !== "object") return `${type === "undefined" ? "" : /^[aeiou]/.test(type) ? "an " : "a "}${type}`
  try {
    return Array.isArray(value) ? "an array" : "an object"
  } catch {
    return "an object"
  }
}

/**
 * A value as an option's error message shows it: short, never a key or a URL's password (`shownText`), and never
 * throwing (a hostile `toString`, a Proxy). `scrub` is the client's scrubber when its key is known.
 *
 * @internal
 */
export const show = (value: unknown, scrub?: (text: string) => string): string => {
  if (typeof value === "string") return JSON.stringify(shownText(value, scrub))
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value)
  if (value === null || value === undefined) return String(value)
  try {
    if (Duration.isDuration(value)) return Duration.format(value)
  } catch {
    // a Proxy: its kind below
  }
  return kind(value)
}

/** What an option's problem says when reading it threw (a getter or a Proxy trap). */
export const unreadable = (cause: unknown): string =>
  `could not be read (${cause instanceof Error ? "it threw an Error" : "it threw"}): pass plain data`

/**
 * One option of `options`, read once (own, inherited or a getter): its value, or why it could not be read (a
 * throwing getter or Proxy trap is a problem naming `key`, not a defect).
 *
 * @internal
 */
export const readOption = (options: object, key: string): Either.Either<unknown, string> => {
  try {
    return Either.right(Reflect.get(options, key))
  } catch (cause) {
    return Either.left(`${key} ${unreadable(cause)}`)
  }
}

const negative = (input: unknown): boolean =>
  (typeof input === "number" && (Number.isNaN(input) || input < 0)) ||
  (typeof input === "bigint" && input < 0n) ||
  (typeof input === "string" && /^\s*-/.test(input)) ||
  (Array.isArray(input) && input.some((part) => typeof part === "number" && (Number.isNaN(part) || part < 0)))

/** A fresh `Duration` equal to `duration`, read once (a forged one, with getters, is read here and never again). */
const copy = (duration: Duration.Duration): Duration.Duration | undefined => {
  const value: unknown = duration.value
  if (typeof value !== "object" || value === null) return undefined
  const tag: unknown = Reflect.get(value, "_tag")
  if (tag === "Infinity") return Duration.infinity
  const amount: unknown = Reflect.get(value, tag === "Millis" ? "millis" : "nanos")
  if (tag === "Millis" && typeof amount === "number" && !Number.isNaN(amount) && amount >= 0) {
    return Duration.millis(amount)
  }
  return tag === "Nanos" && typeof amount === "bigint" && amount >= 0n ? Duration.nanos(amount) : undefined
}

/**
 * `input` as a usable duration (`"5 seconds"`, milliseconds, `[seconds, nanos]`, a `Duration`), read exactly once
 * and copied (what is returned is a fresh `Duration`, whatever getters `input` had), or why it is not one.
 * `Duration.decode` throws on a non-duration and turns a negative or `NaN` number into zero: both are refused here
 * rather than becoming a defect or a zero timeout; a value whose reading throws is refused too. `positive` also
 * refuses zero. A value shown in the problem goes through `show` (with `scrub`, the client's key scrubber, if known).
 *
 * @internal
 */
export const durationOf = (
  input: unknown,
  positive: boolean,
  scrub?: (text: string) => string
): Either.Either<Duration.Duration, string> => {
  try {
    const pair = Array.isArray(input) ? (input.length === 2 ? [input[0], input[1]] : undefined) : input
    if (negative(pair)) return Either.left(`must not be negative or NaN, got ${show(pair, scrub)}`)
    const decoded = Option.flatMap(Duration.decodeUnknown(pair), (duration) => Option.fromNullable(copy(duration)))
    if (Option.isNone(decoded)) {
      return Either.left(
        `must be a duration ("5 seconds", a number of milliseconds or a Duration), got ${show(pair ?? input, scrub)}`
      )
    }
    return positive && Duration.isZero(decoded.value)
      ? Either.left(`must be more than zero, got ${show(pair, scrub)}`)
      : Either.right(decoded.value)
  } catch (cause) {
    return Either.left(unreadable(cause))
  }
}

/**
 * Why `input` is not a whole number at least `min` (or, with `infinite`, `Infinity`), or `undefined` when it is.
 *
 * @internal
 */
export const countProblem = (
  input: unknown,
  min: number,
  infinite = false,
  scrub?: (text: string) => string
): string | undefined => {
  if (infinite && input === Infinity) return undefined
  return typeof input === "number" && Number.isSafeInteger(input) && input >= min
    ? undefined
    : `must be a whole number of at least ${min}${infinite ? " (or Infinity)" : ""}, got ${show(input, scrub)}`
}

/** @internal */
export const invalidOption = (name: string, problem: string): ConfigError.ConfigError =>
  ConfigError.InvalidData([name], `${name} ${problem}`)

/**
 * Set by `ClerkClient.withTimeout` and `ClerkRetry.withOptions` when given a value they cannot use (instead of
 * dying or retrying without end); `Endpoint.call` refuses the call with `InvalidInput` carrying this message. The
 * invalid value never reaches the client or the retry loop.
 *
 * @internal
 */
export const currentInvalidOverride: FiberRef.FiberRef<string | undefined> = FiberRef.unsafeMake<string | undefined>(
  undefined
)
