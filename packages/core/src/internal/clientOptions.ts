import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { countProblem, durationOf, invalidOption, kind, readOption, show, unreadable } from "./config.js"
import { maxKeyLength, scrubber } from "./redact.js"

/** The names problems are reported under: the options' (`secretKey`) or the environment variables' (`layerConfig`). */
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

/** What a key may hold: printable ASCII, no whitespace or control characters (it is sent as a header value). */
const keyCharacters = /^[\x21-\x7E]+$/

/** A header value: printable ASCII and spaces, no control characters (no header injection). */
const headerText = /^[\x20-\x7E]*$/

/** @internal */
export const missingKey = (name: string): ConfigError.ConfigError =>
  ConfigError.MissingData(
    [name],
    `${name} is not set: it takes your Clerk instance's secret key (sk_test_… or sk_live_…, from the API keys page of the Clerk dashboard)`
  )

/**
 * `ClerkClient`'s options, read once and checked: only this copy is used afterwards.
 *
 * @internal
 */
export interface ClientOptions {
  /** A `Redacted` of its own (wiping the caller's after the build does not reach the client). */
  readonly secretKey: Redacted.Redacted<string>
  /** Absolute http(s), no user info, query or fragment, without trailing slashes or a trailing `/v1`. */
  readonly apiUrl: string
  readonly timeout: Duration.Duration | undefined
  readonly maxResponseBytes: number | undefined
  readonly apiVersion: string | undefined
  readonly userAgentSuffix: string | undefined
}

const redactedHint = "Redacted.make(key)"

/** The key a `secretKey` value holds, or why it holds none; never showing it. */
const keyOf = (value: unknown, name: string): Either.Either<string, ConfigError.ConfigError> => {
  if (value === undefined) return Either.left(missingKey(name))
  if (typeof value === "string") {
    return Either.left(ConfigError.InvalidData(
      [name],
      `${name} must be a Redacted string, not a plain string: pass ${redactedHint}, which keeps the key out of ` +
        "logs, errors and traces"
    ))
  }
  try {
    if (!Redacted.isRedacted(value)) {
      return Either.left(invalidOption(name, `must be a Redacted string (${redactedHint}), got ${kind(value)}`))
    }
  } catch (cause) {
    return Either.left(invalidOption(name, unreadable(cause)))
  }
  let key: unknown
  try {
    key = Redacted.value(value)
  } catch {
    return Either.left(invalidOption(
      name,
      "could not be read: a Redacted whose value is gone (Redacted.unsafeWipe) or not made by Redacted.make"
    ))
  }
  return typeof key === "string"
    ? Either.right(key)
    : Either.left(
      invalidOption(name, `must be a Redacted string (${redactedHint}), got a Redacted holding ${kind(key)}`)
    )
}

/**
 * Why `key` is not usable, naming the option and never the key: it must start `sk_test_` or `sk_live_`, hold only
 * printable ASCII (no whitespace, control or non-ASCII characters: it is sent as a header value) and be at most
 * `maxKeyLength` characters.
 */
const keyProblem = (key: string, name: string): ConfigError.ConfigError | undefined => {
  if (key.trim() === "") return missingKey(name)
  if (!/^sk_(test|live)_./s.test(key)) {
    const shape = key.startsWith("pk_") ? " (this looks like a publishable key, pk_…)" : ""
    return invalidOption(name, `is not a Clerk secret key${shape}: expected sk_test_… or sk_live_…`)
  }
  if (key.length > maxKeyLength) {
    return invalidOption(
      name,
      `is ${key.length} characters long, over the limit of ${maxKeyLength}: ` +
        "a Clerk secret key is about 50 (is another value pasted into it?)"
    )
  }
  return keyCharacters.test(key) ? undefined : invalidOption(
    name,
    "contains whitespace, control or non-ASCII characters (a stray newline or quote from a .env file?): " +
      "a Clerk secret key is sk_test_… or sk_live_… followed by printable ASCII only"
  )
}

/**
 * The base URL to use, or why `value` is not one: an absolute http(s) URL without user info (fetch refuses such a
 * URL and would print it whole in every error), a query or a fragment; returned without trailing slashes and without
 * a trailing `/v1` (the client adds it: `https://api.clerk.com/v1` is read as `https://api.clerk.com`).
 */
const baseUrlOf = (
  value: unknown,
  name: string,
  scrub: (text: string) => string
): Either.Either<string, ConfigError.ConfigError> => {
  const raw = value === undefined ? defaultApiUrl : value
  const url = typeof raw === "string" && URL.canParse(raw) ? new URL(raw) : undefined
  if (typeof raw !== "string" || url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return Either.left(
      invalidOption(name, `must be an absolute http(s) URL such as ${defaultApiUrl}, got ${show(raw, scrub)}`)
    )
  }
  if (url.username !== "" || url.password !== "") {
    return Either.left(invalidOption(
      name,
      `must not hold a user name or password (the secret key authenticates), got ${show(raw, scrub)}`
    ))
  }
  if (url.search !== "" || url.hash !== "") {
    return Either.left(invalidOption(name, `must not have a query or a fragment, got ${show(raw, scrub)}`))
  }
  const inside = keyInside(raw)
  if (inside !== undefined) return Either.left(invalidOption(name, inside))
  return Either.right(raw.replace(/\/+$/, "").replace(/\/v1$/, "").replace(/\/+$/, ""))
}

/**
 * Why a value sent with every request (the URL, a header) cannot be used although well formed: it holds a Clerk
 * secret key (`sk_test_…`/`sk_live_…`) or a `Bearer …` value, most likely the key pasted into the wrong option; it
 * would travel in the clear in a URL or header and show in `config`. Only the shapes are looked for, not this key's
 * body, which a short test key's could match by chance (`sk_test_api` in `https://api.clerk.com`).
 */
const keyInside = (text: string): string | undefined =>
  [text, percentDecoded(text)].every((form) => scrubber(undefined)(form) === form)
    ? undefined
    : "must not hold a secret key (an sk_test_…/sk_live_… key or a Bearer value): is the key in the wrong option?"

/** `text` with its percent-escapes decoded (a URL may spell the key `sk%5Flive%5F…`), or as is where they are bad. */
const percentDecoded = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Why `value` is not a header-safe text (printable ASCII and spaces; `empty` allows ""). */
const headerProblem = (value: unknown, empty: boolean, scrub: (text: string) => string): string | undefined =>
  typeof value === "string" && headerText.test(value) && (empty || value.trim() !== "")
    ? keyInside(value)
    : `must be printable ASCII text${empty ? "" : " (not empty)"}, got ${show(value, scrub)}`

/**
 * `ClerkClient`'s options read once each (own, inherited or getters; a getter or Proxy that throws is refused) into
 * a checked copy, or a `ConfigError` naming the first option (or environment variable, with `envNames`) at fault.
 * Checked in order: the key (`keyOf`, `keyProblem`), then `apiUrl` (`baseUrlOf`), `timeout` (a duration above
 * zero), `maxResponseBytes` (a whole number of at least 1, or `Infinity`), `apiVersion` and `userAgentSuffix`
 * (header-safe); neither `apiUrl` nor the headers may hold a Clerk key (`keyInside`). A value a message shows goes through `show` with this key's scrubber: never the key, any Clerk key
 * or a URL's user info, and at most 40 characters.
 *
 * @internal
 */
export const readClientOptions = (
  options: unknown,
  names: Names
): Either.Either<ClientOptions, ConfigError.ConfigError> =>
  Either.gen(function*() {
    if (typeof options !== "object" || options === null) {
      return yield* Either.left(ConfigError.InvalidData(
        ["ClerkClient"],
        `ClerkClient: the options must be an object ({ secretKey: ${redactedHint}, … }), got ${kind(options)}`
      ))
    }
    const read = (key: string, name: string) =>
      Either.mapLeft(readOption(options, key), (problem) => ConfigError.InvalidData([name], problem))
    const key = yield* keyOf(yield* read("secretKey", names.secretKey), names.secretKey)
    const keyFault = keyProblem(key, names.secretKey)
    if (keyFault !== undefined) return yield* Either.left(keyFault)
    const secretKey = Redacted.make(key)
    const scrub = scrubber(secretKey)
    const apiUrl = yield* baseUrlOf(yield* read("apiUrl", names.apiUrl), names.apiUrl, scrub)
    const problem = (name: string, text: string | undefined) =>
      text === undefined ? Either.right(undefined) : Either.left(invalidOption(name, text))
    const timeoutInput = yield* read("timeout", "timeout")
    const timeout = timeoutInput === undefined
      ? undefined
      : yield* Either.mapLeft(durationOf(timeoutInput, true, scrub), (text) => invalidOption("timeout", text))
    const maxResponseBytes = yield* read("maxResponseBytes", "maxResponseBytes")
    if (maxResponseBytes !== undefined) {
      yield* problem("maxResponseBytes", countProblem(maxResponseBytes, 1, true, scrub))
    }
    const apiVersion = yield* read("apiVersion", "apiVersion")
    if (apiVersion !== undefined) yield* problem("apiVersion", headerProblem(apiVersion, false, scrub))
    const userAgentSuffix = yield* read("userAgentSuffix", "userAgentSuffix")
    if (userAgentSuffix !== undefined) yield* problem("userAgentSuffix", headerProblem(userAgentSuffix, true, scrub))
    return {
      secretKey,
      apiUrl,
      timeout,
      maxResponseBytes: typeof maxResponseBytes === "number" ? maxResponseBytes : undefined,
      apiVersion: typeof apiVersion === "string" ? apiVersion : undefined,
      userAgentSuffix: typeof userAgentSuffix === "string" ? userAgentSuffix : undefined
    }
  })

/** The configs `layerConfig` may be given, each checked to be a `Config`. @internal */
export interface LayerConfigs {
  readonly secretKey?: Config.Config<unknown> | undefined
  readonly apiUrl?: Config.Config<unknown> | undefined
  readonly timeout?: Config.Config<unknown> | undefined
}

const configHints: Record<keyof LayerConfigs, string> = {
  secretKey: "Config.redacted(\"…\")",
  apiUrl: "Config.string(\"…\")",
  timeout: "Config.duration(\"…\")"
}

/**
 * `layerConfig`'s argument read once: `undefined`, or an object whose `secretKey`, `apiUrl` and `timeout` are each
 * `undefined` or a `Config`; anything else (null, a string, a throwing getter or Proxy, a plain value where a
 * `Config` goes) is a `ConfigError` naming it. What the `Config`s produce is checked later, as options are.
 *
 * @internal
 */
export const readLayerConfigs = (configs: unknown): Either.Either<LayerConfigs, ConfigError.ConfigError> =>
  Either.gen(function*() {
    const invalid = (path: string, problem: string) =>
      ConfigError.InvalidData([path], `ClerkClient.layerConfig: ${problem}`)
    if (configs === undefined) return {}
    if (typeof configs !== "object" || configs === null) {
      return yield* Either.left(invalid(
        "ClerkClient.layerConfig",
        `the configs must be an object ({ secretKey?, apiUrl?, timeout? }), got ${kind(configs)}`
      ))
    }
    const read: { -readonly [K in keyof LayerConfigs]: LayerConfigs[K] } = {}
    for (const key of ["secretKey", "apiUrl", "timeout"] as const) {
      const value = yield* Either.mapLeft(readOption(configs, key), (problem) => invalid(key, problem))
      if (value === undefined) continue
      let config: Config.Config<unknown> | undefined
      try {
        if (Config.isConfig(value)) config = value
      } catch (cause) {
        return yield* Either.left(invalid(key, `${key} ${unreadable(cause)}`))
      }
      if (config === undefined) {
        return yield* Either.left(invalid(key, `${key} must be a Config (${configHints[key]}), got ${kind(value)}`))
      }
      read[key] = config
    }
    return read
  })
