/**
 * `ClerkTest.layer`: `ClerkClient` backed by a fresh in-memory emulator, plus the `ClerkEmulator` service. The real
 * pipeline runs on every call (request encoding, headers, URL building, status mapping, response decoding); only
 * the socket is replaced by a direct call into the emulator's web handler.
 *
 * @since 0.1.0
 */
import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as TestClock from "effect/TestClock"
import * as ClerkEmulator from "./ClerkEmulator.js"

const toWebRequest = (request: HttpClientRequest.HttpClientRequest, url: URL): Request => {
  const init: RequestInit = { method: request.method, headers: new Headers(request.headers) }
  switch (request.body._tag) {
    case "Uint8Array":
      init.body = new Uint8Array(request.body.body)
      break
    case "FormData":
      init.body = request.body.formData
      break
    case "Raw":
      if (typeof request.body.body === "string") init.body = request.body.body
      break
    default:
      break
  }
  return new Request(url, init)
}

/**
 * An `HttpClient` whose requests are answered by the emulator in-process. A dropped connection becomes the same
 * `RequestError` a real socket reset gives (with `ECONNRESET`, or `ECONNREFUSED` for a refused connection).
 *
 * @example
 * ```ts
 * import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
 * import { Effect } from "effect"
 * const http = Effect.map(ClerkEmulator, ClerkTest.httpClient)
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const httpClient = (emulator: ClerkEmulator.ClerkEmulatorService): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const web = toWebRequest(request, url)
      const response = yield* emulator.handle(web).pipe(
        Effect.mapError((dropped) => {
          const code = dropped.kind === "refused" ? "ECONNREFUSED" : "ECONNRESET"
          return new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: new TypeError("fetch failed", {
              cause: Object.assign(new Error(`emulated ${code}`), { code })
            })
          })
        })
      )
      return HttpClientResponse.fromWeb(request, response)
    })
  )

/**
 * Options of `layerWith`.
 *
 * @example
 * ```ts
 * import type { ClerkTest } from "@effect-clerk/testing"
 * import { ClerkRetry } from "@effect-clerk/core"
 * const options: ClerkTest.Options = { emulator: { rateLimit: false }, stack: ClerkRetry.layer() }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The emulator's options. Its rate limit is off unless set here (`rateLimit: "clerk"` gives Clerk's limits). */
  readonly emulator?: ClerkEmulator.Options | undefined
  readonly client?: Partial<Omit<ClerkClient.Options, "secretKey" | "apiUrl">> | undefined
  /** Layers over the client, e.g. `ClerkRetry.layer().pipe(Layer.provide(ClerkRateLimit.layer()))`. */
  readonly stack?: Layer.Layer<ClerkClient, never, ClerkClient> | undefined
  /** The secret key the client sends and the emulator accepts (default `ClerkEmulator.defaultSecretKey`). */
  readonly secretKey?: string | undefined
  /**
   * How `ClerkRetry`'s waits pass on a `TestClock` (under `it.effect`): `"auto"` (default) moves the clock forward
   * by each wait, so a retry finishes by itself and the emulator sees the time pass; `"manual"` sleeps on the
   * clock, which then only moves with `TestClock.adjust` (to assert what happens in between). Outside a test
   * clock (`it.live`, a plain program) retries sleep in real time either way.
   */
  readonly time?: "auto" | "manual" | undefined
}

const isTestClock = (clock: Clock.Clock): clock is TestClock.TestClock =>
  "adjust" in clock && typeof clock.adjust === "function"

/** A retry's wait on a `TestClock`: the clock jumps by the wait (the fiber's own sleep would never end). */
const advanceTestClock = (duration: Duration.Duration): Effect.Effect<void> =>
  Effect.clockWith((clock) => (isTestClock(clock) ? clock.adjust(duration) : Effect.sleep(duration)))

/**
 * A test layer with options (Clerk's rate limits, features switched, a shorter timeout, a resilience stack...).
 *
 * @example
 * ```ts
 * import { ClerkTest } from "@effect-clerk/testing"
 * import { ClerkRetry } from "@effect-clerk/core"
 * const ClerkLimits = ClerkTest.layerWith({ emulator: { rateLimit: "clerk" }, stack: ClerkRetry.layer() })
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (
  options: Options = {}
): Layer.Layer<ClerkClient | ClerkEmulator.ClerkEmulator> =>
  Layer.unwrapScoped(
    Effect.gen(function*() {
      const emulatorOptions: ClerkEmulator.Options = { rateLimit: false, ...options.emulator }
      const emulator = yield* ClerkEmulator.make(
        options.secretKey === undefined ? emulatorOptions : { ...emulatorOptions, secretKeys: [options.secretKey] }
      )
      const base = ClerkClient.layer({
        ...options.client,
        secretKey: Redacted.make(emulator.secretKey),
        apiUrl: "http://clerk.emulator.local"
      }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, httpClient(emulator))),
        Layer.orDie // only a `secretKey` option that is not sk_test_…/sk_live_… fails here: a bug in the test
      )
      const client = options.stack === undefined ? base : options.stack.pipe(Layer.provide(base))
      const services = Layer.merge(client, Layer.succeed(ClerkEmulator.ClerkEmulator, emulator))
      return options.time === "manual"
        ? services
        : Layer.merge(services, Layer.locallyScoped(ClerkRetry.currentSleep, advanceTestClock))
    })
  )

/**
 * `ClerkClient` and `ClerkEmulator` over a fresh in-memory emulator (responses validated against the spec; no rate
 * limit unless asked for with `layerWith({ emulator: { rateLimit: "clerk" } })`; `ClerkRetry` waits move the
 * `TestClock`, see `Options.time`). A test writes `Effect.provide(ClerkTest.layer)` and nothing else.
 *
 * @example
 * ```ts
 * import { ClerkTest } from "@effect-clerk/testing"
 * import { Users } from "@effect-clerk/users"
 * import { Effect } from "effect"
 *
 * const program = Users.create({ emailAddress: ["ada@example.com"] }).pipe(Effect.provide(ClerkTest.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ClerkClient | ClerkEmulator.ClerkEmulator> = layerWith()
