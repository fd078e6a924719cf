/**
 * The client's configuration is checked when the layer is built: an absolute http(s) URL (a trailing `/v1` is
 * dropped, the client adds it), a key shaped like a Clerk secret key, and a missing key that says it is missing.
 * Errors name the option or the environment variable, never the key.
 */
import { ClerkClient, Endpoint } from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Config, ConfigError, ConfigProvider, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as util from "node:util"
import { getThing, jsonResponse, secret } from "./fixtures.js"

const urls: Array<string> = []
const http = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) => {
    urls.push(request.url)
    return Effect.succeed(HttpClientResponse.fromWeb(request, jsonResponse(200, { id: "t", first_name: null })))
  })
)

const withEnv = (env: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const fromOptions = (options: Partial<ClerkClient.Options>) =>
  ClerkClient.pipe(
    Effect.provide(ClerkClient.layer({ secretKey: Redacted.make(secret), ...options }).pipe(Layer.provide(http))),
    Effect.flip,
    Effect.map(String)
  )

const fromEnv = (env: Record<string, string>) =>
  ClerkClient.pipe(
    Effect.provide(ClerkClient.layerConfig().pipe(Layer.provide(http))),
    Effect.provide(withEnv(env)),
    Effect.flip,
    Effect.map(String)
  )

describe("ClerkClient configuration", () => {
  it.effect("apiUrl must be an absolute http(s) URL", () =>
    Effect.gen(function*() {
      for (const apiUrl of ["api.clerk.com", "localhost:8787", "ftp://clerk.example", "/v1", ""]) {
        const message = yield* fromOptions({ apiUrl })
        expect(message, apiUrl).toContain("apiUrl must be an absolute http(s) URL")
      }
      expect(yield* fromOptions({ apiUrl: "https://clerk.example/?x=1" })).toContain("query or a fragment")
      expect(yield* fromEnv({ CLERK_SECRET_KEY: secret, CLERK_API_URL: "127.0.0.1:8787" })).toContain(
        "CLERK_API_URL must be an absolute http(s) URL"
      )
    }))

  it.effect("a trailing /v1 is dropped: requests go to <apiUrl>/v1/... once", () =>
    Effect.gen(function*() {
      for (const apiUrl of ["http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1/", "http://127.0.0.1:9//"]) {
        urls.length = 0
        const live = ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl }).pipe(Layer.provide(http))
        yield* Endpoint.call(getThing, { path: ["t"] }).pipe(Effect.provide(live))
        expect(urls, apiUrl).toEqual(["http://127.0.0.1:9/v1/things/t"])
        const config = yield* Effect.map(ClerkClient, (c) => c.config).pipe(Effect.provide(live))
        expect(config.apiUrl).toBe("http://127.0.0.1:9")
      }
    }))

  it.effect("a key that is not sk_test_…/sk_live_… is a ConfigError that names the option, not the key", () =>
    Effect.gen(function*() {
      const publishable = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"
      const message = yield* fromOptions({ secretKey: Redacted.make(publishable) })
      expect(message).toContain("secretKey is not a Clerk secret key (this looks like a publishable key")
      expect(message).not.toContain(publishable)
      const typo = "sk_tset_abcdef"
      const fromEnvMessage = yield* fromEnv({ CLERK_SECRET_KEY: typo })
      expect(fromEnvMessage).toContain("CLERK_SECRET_KEY is not a Clerk secret key: expected sk_test_… or sk_live_…")
      expect(fromEnvMessage).not.toContain(typo)
    }))

  it.effect("a missing or empty key says it is missing", () =>
    Effect.gen(function*() {
      for (const env of [{}, { CLERK_SECRET_KEY: "" }, { CLERK_SECRET_KEY: "  " }]) {
        const message = yield* fromEnv(env)
        expect(message).toContain("CLERK_SECRET_KEY is not set")
        expect(message).not.toContain("<redacted>")
      }
      expect(yield* fromOptions({ secretKey: Redacted.make("") })).toContain("secretKey is not set")
    }))

  it.effect("a key with whitespace, control or non-ASCII characters is refused at layer build, without showing it", () =>
    Effect.gen(function*() {
      const bodies = [
        "abc\u0000def",
        "abc\r\nX-Injected: 1",
        "with spaces",
        "abc\tdef",
        "tail\n",
        "zero\u200Bwidth",
        "ü🎉"
      ]
      for (const body of bodies) {
        const key = `sk_test_${body}`
        const message = yield* fromOptions({ secretKey: Redacted.make(key) })
        expect(message, JSON.stringify(key)).toContain(
          "secretKey contains whitespace, control or non-ASCII characters"
        )
        expect(message).not.toContain(body)
      }
      const fromEnvMessage = yield* fromEnv({ CLERK_SECRET_KEY: "sk_live_abc\u0000" })
      expect(fromEnvMessage).toContain("CLERK_SECRET_KEY contains whitespace, control or non-ASCII characters")
    }))

  it.effect("a key over 256 characters is refused at layer build, naming the limit; 256 is accepted", () =>
    Effect.gen(function*() {
      const long = "sk_test_" + "Ab1".repeat(2200)
      const message = yield* fromOptions({ secretKey: Redacted.make(long) })
      expect(message).toContain("secretKey is 6608 characters long, over the limit of 256")
      expect(message).not.toContain("Ab1Ab1")
      const longest = "sk_test_" + "x".repeat(256 - 8)
      const config = yield* Effect.map(ClerkClient, (c) => c.config).pipe(
        Effect.provide(ClerkClient.layer({ secretKey: Redacted.make(longest) }).pipe(Layer.provide(http)))
      )
      expect(Redacted.value(config.secretKey)).toHaveLength(256)
    }))
})

/** A Proxy every operation on which throws (as a revoked Proxy does). */
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

/** The layer's failure: a `ConfigError` (never a defect), its path and its message. */
const configFailure = (layer: Layer.Layer<ClerkClient, unknown>) =>
  Effect.gen(function*() {
    const exit = yield* ClerkClient.pipe(Effect.provide(layer), Effect.exit)
    if (Exit.isSuccess(exit)) return expect.fail("the layer was built")
    const error = Cause.failureOption(exit.cause)
    if (Option.isNone(error)) return expect.fail(`not a failure: ${Cause.pretty(exit.cause)}`)
    expect(ConfigError.isConfigError(error.value), String(error.value)).toBe(true)
    const printed = `${Cause.pretty(exit.cause)}\n${util.inspect(exit.cause, { depth: 20, showHidden: true })}`
    return { error: error.value, message: String(error.value), printed }
  })

describe("ClerkClient options that are not what the types say: a ConfigError naming the option, never a defect", () => {
  const key = Redacted.make(secret)
  const throwing = (name: string) =>
    Object.defineProperty({ secretKey: key }, name, {
      enumerable: true,
      get: () => {
        throw new Error("getter")
      }
    })
  const cases: ReadonlyArray<readonly [unknown, string, string]> = [
    [
      null,
      "ClerkClient",
      "ClerkClient: the options must be an object ({ secretKey: Redacted.make(key), … }), got null"
    ],
    [undefined, "ClerkClient", "ClerkClient: the options must be an object"],
    [secret, "ClerkClient", "the options must be an object ({ secretKey: Redacted.make(key), … }), got a string"],
    [42, "ClerkClient", "the options must be an object"],
    [revoked(), "secretKey", "secretKey could not be read"],
    [{}, "secretKey", "secretKey is not set"],
    [{ secretKey: undefined }, "secretKey", "secretKey is not set"],
    [
      { secretKey: secret },
      "secretKey",
      "secretKey must be a Redacted string, not a plain string: pass Redacted.make("
    ],
    [{ secretKey: Redacted.make(123) }, "secretKey", "secretKey must be a Redacted string (Redacted.make(key))"],
    [{ secretKey: Redacted.make(undefined) }, "secretKey", "secretKey must be a Redacted string"],
    [{ secretKey: null }, "secretKey", "secretKey must be a Redacted string (Redacted.make(key)), got null"],
    [
      { secretKey: { value: secret } },
      "secretKey",
      "secretKey must be a Redacted string (Redacted.make(key)), got an object"
    ],
    [{ secretKey: revoked() }, "secretKey", "secretKey could not be read"],
    [throwing("secretKey"), "secretKey", "secretKey could not be read"],
    [throwing("apiUrl"), "apiUrl", "apiUrl could not be read"],
    [throwing("timeout"), "timeout", "timeout could not be read"],
    [throwing("apiVersion"), "apiVersion", "apiVersion could not be read"],
    [throwing("userAgentSuffix"), "userAgentSuffix", "userAgentSuffix could not be read"],
    [throwing("maxResponseBytes"), "maxResponseBytes", "maxResponseBytes could not be read"],
    [
      { secretKey: key, apiUrl: 8787 },
      "apiUrl",
      "apiUrl must be an absolute http(s) URL such as https://api.clerk.com, got 8787"
    ],
    [{ secretKey: key, timeout: revoked() }, "timeout", "timeout could not be read"],
    [
      new Proxy({ secretKey: key }, {
        get: () => {
          throw new Error("trap")
        }
      }),
      "secretKey",
      "secretKey could not be read"
    ]
  ]

  it.effect("null, undefined, primitives, a revoked Proxy, throwing getters, a plain-string or non-string key", () =>
    Effect.gen(function*() {
      for (const [options, path, message] of cases) {
        const layer = ClerkClient.layer(options as never).pipe(Layer.provide(http))
        const failure = yield* configFailure(layer)
        expect(failure.message, message).toContain(message)
        expect(failure.error, message).toMatchObject({ path: [path] })
        expect(failure.printed, message).not.toContain(secret.slice(8))
      }
    }))

  it.effect("a key whose value is gone (Redacted.unsafeWipe) is refused; the client keeps its own copy of the key", () =>
    Effect.gen(function*() {
      const wiped = Redacted.make(secret)
      Redacted.unsafeWipe(wiped)
      expect((yield* configFailure(ClerkClient.layer({ secretKey: wiped }).pipe(Layer.provide(http)))).message)
        .toContain("secretKey could not be read")
      // wiping the caller's Redacted after the build does not reach the client (nor the rate limiter reading it)
      const given = Redacted.make(secret)
      let reads = 0
      const options = {
        get secretKey() {
          reads++
          return given
        }
      }
      const config = yield* Effect.gen(function*() {
        const client = yield* ClerkClient
        Redacted.unsafeWipe(given)
        return client.config
      }).pipe(Effect.provide(ClerkClient.layer(options).pipe(Layer.provide(http))))
      expect(Redacted.value(config.secretKey)).toBe(secret)
      expect(reads).toBe(1)
    }))

  it.effect("layerConfig: its argument and each Config are checked; a Config's value is checked as an option is", () =>
    Effect.gen(function*() {
      const env = withEnv({ CLERK_SECRET_KEY: secret })
      const configCases: ReadonlyArray<readonly [unknown, string]> = [
        [null, "ClerkClient.layerConfig: the configs must be an object ({ secretKey?, apiUrl?, timeout? }), got null"],
        [5, "ClerkClient.layerConfig: the configs must be an object"],
        [revoked(), "ClerkClient.layerConfig: secretKey could not be read"],
        [
          { secretKey: secret },
          "ClerkClient.layerConfig: secretKey must be a Config (Config.redacted(\"…\")), got a string"
        ],
        [{ apiUrl: "https://api.clerk.com" }, "ClerkClient.layerConfig: apiUrl must be a Config"],
        [{ timeout: revoked() }, "ClerkClient.layerConfig: timeout could not be read"],
        [{
          get apiUrl(): never {
            throw new Error("getter")
          }
        }, "ClerkClient.layerConfig: apiUrl could not be read"],
        [{ secretKey: Config.succeed(secret) }, "CLERK_SECRET_KEY must be a Redacted string, not a plain string"],
        [{ secretKey: Config.succeed(Redacted.make(5)) }, "CLERK_SECRET_KEY must be a Redacted string"],
        [
          { apiUrl: Config.succeed(5) },
          "CLERK_API_URL must be an absolute http(s) URL such as https://api.clerk.com, got 5"
        ],
        [{ timeout: Config.succeed("abc") }, "timeout must be a duration"]
      ]
      for (const [configs, message] of configCases) {
        const layer = ClerkClient.layerConfig(configs as never).pipe(Layer.provide(http), Layer.provide(env))
        const failure = yield* configFailure(layer)
        expect(failure.message, message).toContain(message)
        expect(failure.printed, message).not.toContain(secret.slice(8))
      }
      // the usual forms still build
      for (const configs of [undefined, {}, { timeout: Config.succeed(Duration.seconds(3)) }]) {
        yield* ClerkClient.pipe(
          Effect.provide(ClerkClient.layerConfig(configs).pipe(Layer.provide(http))),
          Effect.provide(env)
        )
      }
    }))

  it.effect("decorate: a function that is not one, or that returns no function, is a ConfigError", () =>
    Effect.gen(function*() {
      const base = ClerkClient.layer({ secretKey: Redacted.make(secret) }).pipe(Layer.provide(http))
      for (
        const [f, message] of [
          [null, "ClerkClient.decorate: its argument must be a function, got null"],
          ["execute", "ClerkClient.decorate: its argument must be a function, got a string"],
          [() => undefined, "ClerkClient.decorate: the function must return an execute function, got undefined"]
        ] as const
      ) {
        const failure = yield* configFailure(ClerkClient.decorate(f as never).pipe(Layer.provide(base)))
        expect(failure.message, message).toContain(message)
      }
    }))
})

describe("a value echoed in a configuration error never shows a key or a password", () => {
  const live = "sk_live_SECRETSECRETabcdefghijklmnop1234567890"
  const body = live.slice("sk_live_".length)
  /** Any of these in a printed error is a leak: the key, its body, a long part of it, the URL password. */
  const leaks = (printed: string) =>
    [live, body, "SECRETSECRET", "hunter2", "user:"].filter((needle) => printed.includes(needle))

  it.effect("the key (or any Clerk key) given as another option or variable: redacted, and the value cut short", () =>
    Effect.gen(function*() {
      const key = Redacted.make(live)
      const options: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
        [{ apiUrl: live }, "apiUrl must be an absolute http(s) URL"],
        [{ apiUrl: `ftp://x/${live}` }, "apiUrl must be an absolute http(s) URL"],
        [{ apiUrl: `https://api.clerk.com/?key=${live}` }, "apiUrl must not have a query or a fragment"],
        // the key's body without its prefix: only this client's key tells it apart
        [{ apiUrl: `ftp://${body}` }, "apiUrl must be an absolute http(s) URL"],
        [{ apiUrl: `ftp://x/${"a".repeat(30)}${body}` }, "apiUrl must be an absolute http(s) URL"],
        [{ timeout: live }, "timeout must be a duration"],
        [{ timeout: body }, "timeout must be a duration"],
        [{ timeout: [live, 0] }, "timeout must be a duration"],
        [{ userAgentSuffix: `${live}\n` }, "userAgentSuffix must be printable ASCII text"],
        [{ apiVersion: `${body}\n` }, "apiVersion must be printable ASCII text"],
        [{ maxResponseBytes: live }, "maxResponseBytes must be a whole number"]
      ]
      for (const [given, message] of options) {
        const failure = yield* configFailure(ClerkClient.layer({ secretKey: key, ...given }).pipe(Layer.provide(http)))
        expect(failure.message, message).toContain(message)
        expect(leaks(failure.printed), JSON.stringify(given)).toEqual([])
      }
      // a well-formed value that holds a Clerk key would be sent with every request: refused, naming the option
      for (
        const given of [
          { apiVersion: live },
          { userAgentSuffix: `app/1.0 ${live}` },
          { apiUrl: `https://proxy.example/${live}` },
          // percent-encoded, as a URL may carry it
          { apiUrl: `https://proxy.example/${live.replaceAll("_", "%5F")}` },
          { apiUrl: `https://proxy.example/${live.replaceAll("_", "%5f").replace("k", "%6B")}` },
          { apiVersion: "Bearer abcdef" }
        ]
      ) {
        const failure = yield* configFailure(ClerkClient.layer({ secretKey: key, ...given }).pipe(Layer.provide(http)))
        expect(failure.message, JSON.stringify(given)).toMatch(
          /^.*(apiVersion|userAgentSuffix|apiUrl) must not hold a secret key/
        )
        expect(leaks(failure.printed), JSON.stringify(given)).toEqual([])
      }
      // a short test key's body inside an ordinary value is not taken for the key
      yield* ClerkClient.pipe(
        Effect.provide(
          ClerkClient.layer({
            secretKey: Redacted.make("sk_test_api"),
            apiUrl: "https://api.clerk.com",
            apiVersion: "api"
          })
            .pipe(Layer.provide(http))
        )
      )
      const long = yield* configFailure(
        ClerkClient.layer({ secretKey: key, apiUrl: `ftp://${"x".repeat(5000)}` }).pipe(Layer.provide(http))
      )
      expect(long.message).toContain("got \"ftp://xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\"")
      expect(long.message.length).toBeLessThan(200)
      // from the environment: the key in CLERK_API_URL, with and without its prefix
      for (const apiUrl of [live, `http://x y/${live}`, `ftp://${body}`]) {
        const failure = yield* configFailure(
          ClerkClient.layerConfig().pipe(
            Layer.provide(http),
            Layer.provide(withEnv({ CLERK_SECRET_KEY: live, CLERK_API_URL: apiUrl }))
          )
        )
        expect(failure.message).toContain("CLERK_API_URL must be an absolute http(s) URL")
        expect(leaks(failure.printed), apiUrl).toEqual([])
      }
    }))

  it.effect("an apiUrl with a user name or password is refused, shown as ***", () =>
    Effect.gen(function*() {
      const key = Redacted.make(secret)
      const urls = [
        "https://user:hunter2@api.clerk.com",
        "http://:hunter2@127.0.0.1:8787/",
        "https://hunter2@api.clerk.com/v1",
        "ftp://user:hunter2@x"
      ]
      for (const apiUrl of urls) {
        const failure = yield* configFailure(ClerkClient.layer({ secretKey: key, apiUrl }).pipe(Layer.provide(http)))
        expect(failure.message, apiUrl).toMatch(/apiUrl must (not hold a user name or password|be an absolute)/)
        expect(failure.message, apiUrl).toContain("://***@")
        expect(leaks(failure.printed), apiUrl).toEqual([])
      }
      const fromEnvFailure = yield* configFailure(
        ClerkClient.layerConfig().pipe(
          Layer.provide(http),
          Layer.provide(withEnv({ CLERK_SECRET_KEY: secret, CLERK_API_URL: "https://user:hunter2@api.clerk.com" }))
        )
      )
      expect(fromEnvFailure.message).toContain(
        "CLERK_API_URL must not hold a user name or password (the secret key authenticates), got \"https://***@api.clerk.com\""
      )
    }))
})
