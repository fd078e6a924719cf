import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/** @internal */
export interface Names {
  readonly secretKey: string
  readonly apiUrl: string
}

/** @internal */
export const optionNames: Names = { secretKey: "secretKey", apiUrl: "apiUrl" }

/** @internal */
export const envNames: Names = { secretKey: "CLERK_SECRET_KEY", apiUrl: "CLERK_API_URL" }

/** @internal */
export const defaultApiUrl = "https://api.clerk.com"

/**
 * The longest secret key accepted (Clerk's are about 50 characters). The key goes into the `Authorization` header
 * and into the error scrubber's pattern (`internal/redact.ts`), which grows with the key's length.
 *
 * @internal
 */
export const maxKeyLength = 256

/** What a key may hold: printable ASCII, no whitespace or control characters (it is sent as a header value). */
const keyCharacters = /^[\x21-\x7E]+$/

/** @internal */
export const missingKey = (name: string): ConfigError.ConfigError =>
  ConfigError.MissingData(
    [name],
    `${name} is not set: it takes your Clerk instance's secret key (sk_test_… or sk_live_…, from the API keys page of the Clerk dashboard)`
  )

/**
 * Checks the options a client is built from, naming the option (or environment variable) at fault and never the
 * key itself. The key must start `sk_test_` or `sk_live_`, hold only printable ASCII (no whitespace, control or
 * non-ASCII characters: it is sent as a header value) and be at most `maxKeyLength` characters. Returns the base URL to use: absolute http(s), without trailing slashes, and without a trailing
 * `/v1` (the client adds it: `https://api.clerk.com/v1` is read as `https://api.clerk.com`).
 *
 * @internal
 */
export const check = (
  options: { readonly secretKey: Redacted.Redacted<string>; readonly apiUrl?: string | undefined },
  names: Names
): Effect.Effect<string, ConfigError.ConfigError> =>
  Effect.gen(function*() {
    const key = Redacted.value(options.secretKey)
    if (key.trim() === "") return yield* Effect.fail(missingKey(names.secretKey))
    if (!/^sk_(test|live)_./s.test(key)) {
      const shape = key.startsWith("pk_") ? " (this looks like a publishable key, pk_…)" : ""
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.secretKey],
        `${names.secretKey} is not a Clerk secret key${shape}: expected sk_test_… or sk_live_…`
      ))
    }
    if (key.length > maxKeyLength) {
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.secretKey],
        `${names.secretKey} is ${key.length} characters long, over the limit of ${maxKeyLength}: ` +
          "a Clerk secret key is about 50 (is another value pasted into it?)"
      ))
    }
    if (!keyCharacters.test(key)) {
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.secretKey],
        `${names.secretKey} contains whitespace, control or non-ASCII characters (a stray newline or quote from ` +
          "a .env file?): a Clerk secret key is sk_test_… or sk_live_… followed by printable ASCII only"
      ))
    }
    const raw = options.apiUrl ?? defaultApiUrl
    const url = URL.canParse(raw) ? new URL(raw) : undefined
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.apiUrl],
        `${names.apiUrl} must be an absolute http(s) URL such as ${defaultApiUrl}, got ${JSON.stringify(raw)}`
      ))
    }
    if (url.search !== "" || url.hash !== "") {
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.apiUrl],
        `${names.apiUrl} must not have a query or a fragment, got ${JSON.stringify(raw)}`
      ))
    }
    return raw.replace(/\/+$/, "").replace(/\/v1$/, "").replace(/\/+$/, "")
  })

/** A value as an option's error message shows it: short, and never throwing (a hostile `toString`, a Proxy). */
export const show = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value)
  if (value === null || value === undefined) return String(value)
  try {
    if (Duration.isDuration(value)) return Duration.format(value)
    return Array.isArray(value) ? "an array" : `a ${typeof value}`
  } catch {
    return `a ${typeof value}`
  }
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
 * refuses zero.
 *
 * @internal
 */
export const durationOf = (input: unknown, positive: boolean): Either.Either<Duration.Duration, string> => {
  try {
    const pair = Array.isArray(input) ? (input.length === 2 ? [input[0], input[1]] : undefined) : input
    if (negative(pair)) return Either.left(`must not be negative or NaN, got ${show(pair)}`)
    const decoded = Option.flatMap(Duration.decodeUnknown(pair), (duration) => Option.fromNullable(copy(duration)))
    if (Option.isNone(decoded)) {
      return Either.left(
        `must be a duration ("5 seconds", a number of milliseconds or a Duration), got ${show(pair ?? input)}`
      )
    }
    return positive && Duration.isZero(decoded.value)
      ? Either.left(`must be more than zero, got ${show(pair)}`)
      : Either.right(decoded.value)
  } catch (cause) {
    return Either.left(unreadable(cause))
  }
}

/**
 * Why `input` is not a usable duration (see `durationOf`), or `undefined` when it is one.
 *
 * @internal
 */
export const durationProblem = (input: unknown, positive: boolean): string | undefined =>
  Either.getLeft(durationOf(input, positive)).pipe(Option.getOrUndefined)

/**
 * Why `input` is not a whole number at least `min` (or, with `infinite`, `Infinity`), or `undefined` when it is.
 *
 * @internal
 */
export const countProblem = (input: unknown, min: number, infinite = false): string | undefined => {
  if (infinite && input === Infinity) return undefined
  return typeof input === "number" && Number.isSafeInteger(input) && input >= min
    ? undefined
    : `must be a whole number of at least ${min}${infinite ? " (or Infinity)" : ""}, got ${show(input)}`
}

/** @internal */
export const invalidOption = (name: string, problem: string): ConfigError.ConfigError =>
  ConfigError.InvalidData([name], `${name} ${problem}`)

/** A header value: printable ASCII and spaces, no control characters (no header injection). */
const headerText = /^[\x20-\x7E]*$/

/**
 * Checks `ClerkClient`'s other options (the key and URL are `check`'s): `timeout` a duration above zero,
 * `maxResponseBytes` a whole number of at least 1 (or `Infinity`), `apiVersion` and `userAgentSuffix` header-safe.
 *
 * @internal
 */
export const checkOptions = (options: {
  readonly timeout?: unknown
  readonly maxResponseBytes?: unknown
  readonly apiVersion?: unknown
  readonly userAgentSuffix?: unknown
}): Effect.Effect<void, ConfigError.ConfigError> => {
  const problem = (name: string, text: string | undefined) => text === undefined ? undefined : invalidOption(name, text)
  const header = (value: unknown, empty: boolean) =>
    typeof value === "string" && headerText.test(value) && (empty || value.trim() !== "")
      ? undefined
      : `must be printable ASCII text${empty ? "" : " (not empty)"}, got ${show(value)}`
  const found =
    (options.timeout === undefined ? undefined : problem("timeout", durationProblem(options.timeout, true))) ??
      (options.maxResponseBytes === undefined
        ? undefined
        : problem("maxResponseBytes", countProblem(options.maxResponseBytes, 1, true))) ??
      (options.apiVersion === undefined ? undefined : problem("apiVersion", header(options.apiVersion, false))) ??
      (options.userAgentSuffix === undefined
        ? undefined
        : problem("userAgentSuffix", header(options.userAgentSuffix, true)))
  return found === undefined ? Effect.void : Effect.fail(found)
}

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
