import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
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
