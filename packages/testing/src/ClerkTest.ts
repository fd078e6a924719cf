/**
 * `ClerkTest.layer`: `ClerkClient` backed by a fresh in-memory emulator, plus the `ClerkEmulator` service. The real
 * pipeline runs on every call (request encoding, headers, URL building, status mapping, response decoding); only
 * the socket is replaced by a direct call into the emulator's web handler.
 *
 * @since 0.1.0
 */
import { ClerkClient, ClerkRetry } from "@effect-clerk/core"
import * as Cookies from "@effect/platform/Cookies"
import * as PlatformHeaders from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import type * as Clock from "effect/Clock"
import type * as ConfigError from "effect/ConfigError"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as TestClock from "effect/TestClock"
import * as ClerkEmulator from "./ClerkEmulator.js"
import { rawHandlerOf } from "./internal/raw.js"
import type { RawRequest, RawResponse } from "./internal/router.js"

const toWebRequest = (request: HttpClientRequest.HttpClientRequest, url: URL, signal?: AbortSignal): Request => {
  const init: RequestInit = { method: request.method, headers: new Headers(request.headers) }
  if (signal !== undefined) init.signal = signal
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

const dropError = (request: HttpClientRequest.HttpClientRequest, dropped: { readonly kind: "refused" | "reset" }) => {
  const code = dropped.kind === "refused" ? "ECONNREFUSED" : "ECONNRESET"
  return new HttpClientError.RequestError({
    request,
    reason: "Transport",
    cause: new TypeError("fetch failed", {
      cause: Object.assign(new Error(`emulated ${code}`), { code })
    })
  })
}

/** A request whose signal aborted (a live-clock timeout, an interruption): failed as fetch fails it. */
const abortError = (request: HttpClientRequest.HttpClientRequest, signal: AbortSignal) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause: signal.reason })

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * A client request as the raw pipeline reads it: text as given (`textNow`: no asynchronous step), bytes decoded
 * when read, form data as is. The effects reading the body are made only if the pipeline asks for them.
 */
class ClientRequest implements RawRequest {
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  constructor(
    private readonly request: HttpClientRequest.HttpClientRequest,
    readonly url: URL,
    readonly signal: AbortSignal
  ) {
    this.method = request.method
    const body = request.body
    const type = body._tag === "Empty" || body._tag === "FormData" ? undefined : body.contentType
    this.headers = type === undefined || request.headers["content-type"] !== undefined
      ? request.headers
      : { ...request.headers, "content-type": type }
  }
  get textNow(): (() => string) | undefined {
    const body = this.request.body
    switch (body._tag) {
      case "Uint8Array": {
        const bytes = body.body
        return () => decoder.decode(bytes)
      }
      case "Raw": {
        const raw = body.body
        return typeof raw === "string" ? () => raw : () => ""
      }
      case "FormData":
        return undefined
      default:
        return () => ""
    }
  }
  get text(): Effect.Effect<string> {
    const textNow = this.textNow
    return textNow === undefined
      ? Effect.promise(() => toWebRequest(this.request, this.url).text())
      : Effect.sync(textNow)
  }
  get formData(): Effect.Effect<FormData, unknown> {
    const body = this.request.body
    return body._tag === "FormData"
      ? Effect.succeed(body.formData)
      : Effect.tryPromise(() => toWebRequest(this.request, this.url).formData())
  }
}

/**
 * An `HttpClient` whose requests are answered by the emulator in-process. A dropped connection becomes the same
 * `RequestError` a real socket reset gives (with `ECONNRESET`, or `ECONNREFUSED` for a refused connection). It
 * honours the request's abort signal as fetch does: a request aborted before it is sent, or while a `Latency` fault
 * holds it (under Effect's live `Clock`), fails with a `RequestError` whose cause is the signal's reason, and is not
 * processed; so `ClerkClient`'s live-clock timeout ends the call at its deadline.
 *
 * The emulator's own pipeline is called without web objects (no `Request` built, no `Response` read back through
 * a stream); a service from elsewhere goes through its `handle`.
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
export const httpClient = (emulator: ClerkEmulator.ClerkEmulatorService): HttpClient.HttpClient => {
  const raw = rawHandlerOf(emulator)
  if (raw !== undefined) {
    // (make calls this inside the request's effect: nothing here runs before the request does)
    return HttpClient.make((request, url, signal) =>
      signal.aborted
        ? Effect.fail(abortError(request, signal))
        : Effect.mapBoth(raw(new ClientRequest(request, url, signal)), {
          onFailure: (dropped) => signal.aborted ? abortError(request, signal) : dropError(request, dropped),
          onSuccess: (response) => new InProcessResponse(request, response)
        })
    )
  }
  return HttpClient.make((request, url, signal) =>
    emulator.handle(toWebRequest(request, url, signal)).pipe(
      Effect.mapError((dropped) => signal.aborted ? abortError(request, signal) : dropError(request, dropped)),
      Effect.map((response) => HttpClientResponse.fromWeb(request, response))
    )
  )
}

/**
 * A response answered in-process: the body is already text (its bytes made only if a stream is asked for). It
 * declares its `content-length`, as Clerk's server does, so the client's capped read takes the text as it is instead
 * of streaming bytes made from it (~400 µs a call).
 */
class InProcessResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  readonly headers: PlatformHeaders.Headers
  readonly remoteAddress: Option.Option<string> = Option.none()
  readonly text: Effect.Effect<string, HttpClientError.ResponseError>

  constructor(readonly request: HttpClientRequest.HttpClientRequest, private readonly raw: RawResponse) {
    super()
    this.status = raw.status
    this.headers = PlatformHeaders.fromInput({ ...raw.headers, "content-length": String(Buffer.byteLength(raw.body)) })
    this.text = Effect.succeed(raw.body)
  }

  get cookies(): Cookies.Cookies {
    return Cookies.empty
  }
  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.try({
      try: (): unknown => JSON.parse(this.raw.body),
      catch: (cause) =>
        new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.succeed(UrlParams.fromInput(new URLSearchParams(this.raw.body)))
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => {
      const bytes = encoder.encode(this.raw.body)
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    })
  }
  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.sync(() => encoder.encode(this.raw.body))
  }
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.raw.body, { headers: this.raw.headers }).formData(),
      catch: (cause) =>
        new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
    })
  }
  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

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
  readonly stack?: Layer.Layer<ClerkClient, ConfigError.ConfigError, ClerkClient> | undefined
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

/**
 * One `Redacted` per key: the client builds its key scrubber's pattern once per `Redacted` (~0.5 ms), and a test
 * suite builds a layer per test, nearly always with the same key.
 */
const redactedKeys = new Map<string, Redacted.Redacted<string>>()
const redactedKey = (key: string): Redacted.Redacted<string> => {
  let redacted = redactedKeys.get(key)
  if (redacted === undefined) {
    redacted = Redacted.make(key)
    redactedKeys.set(key, redacted)
  }
  return redacted
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
        secretKey: redactedKey(emulator.secretKey),
        apiUrl: "http://clerk.emulator.local"
      }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, httpClient(emulator))),
        Layer.orDie // only a `secretKey` option that is not sk_test_…/sk_live_… fails here: a bug in the test
      )
      const client = options.stack === undefined
        ? base
        : options.stack.pipe(Layer.provide(base), Layer.orDie) // a stack option its layer refuses: a bug in the test
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
