/**
 * The client's configuration is checked when the layer is built: an absolute http(s) URL (a trailing `/v1` is
 * dropped, the client adds it), a key shaped like a Clerk secret key, and a missing key that says it is missing.
 * Errors name the option or the environment variable, never the key.
 */
import { ClerkClient, Endpoint } from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
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
