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

/** @internal */
export const missingKey = (name: string): ConfigError.ConfigError =>
  ConfigError.MissingData(
    [name],
    `${name} is not set: it takes your Clerk instance's secret key (sk_test_… or sk_live_…, from the API keys page of the Clerk dashboard)`
  )

/**
 * Checks the options a client is built from, naming the option (or environment variable) at fault and never the
 * key itself. Returns the base URL to use: absolute http(s), without trailing slashes, and without a trailing
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
    if (!/^sk_(test|live)_\S+$/.test(key)) {
      const shape = key.startsWith("pk_") ? " (this looks like a publishable key, pk_…)" : ""
      return yield* Effect.fail(ConfigError.InvalidData(
        [names.secretKey],
        `${names.secretKey} is not a Clerk secret key${shape}: expected sk_test_… or sk_live_…`
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
