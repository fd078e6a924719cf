/**
 * The `ClerkClient` service: configuration (base URL, API version, a `Redacted` secret key, timeout) and the one
 * function every operation goes through, `execute`, which sends a `ClerkRequest` and reads the whole response.
 * Resilience layers (`ClerkRetry`, `ClerkRateLimit`) decorate `execute`; nothing else needs to change.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Tracer from "effect/Tracer"
import type * as Self from "./ClerkClient.js"
import { TransportError } from "./ClerkError.js"
import { TooLarge } from "./internal/body.js"
import * as ClientOptions from "./internal/clientOptions.js"
import * as ClerkConfig from "./internal/config.js"
import { scrubber, scrubCause } from "./internal/redact.js"
import * as TimeoutOverride from "./internal/timeoutOverride.js"
import { handOff, isTracing } from "./internal/tracing.js"
import * as Transport from "./internal/transport.js"
import { apiVersion, packageVersion } from "./internal/version.js"

/**
 * The HTTP methods Clerk's Backend API uses.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * const method: ClerkClient.Method = "PATCH"
 * ```
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

/**
 * Whether a request may be sent again after it may have reached the server: `true` for reads, deletes, puts and
 * state-setting posts (ban, lock); `false` for creates; `"keyed"` when the request carries an idempotency key.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * const safe: ClerkClient.Idempotency = "keyed"
 * ```
 * @since 0.1.0
 * @category models
 */
export type Idempotency = boolean | "keyed"

/**
 * A request body: JSON, multipart form data, or none.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * const body: ClerkClient.RequestBody = { _tag: "Json", value: { first_name: "Ada" } }
 * ```
 * @since 0.1.0
 * @category models
 */
export type RequestBody =
  | { readonly _tag: "None" }
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "FormData"; readonly value: FormData }

/**
 * One request as the pipeline sees it, before the base URL and headers are added.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * const request: ClerkClient.ClerkRequest = {
 *   operation: "Users.get", method: "GET", path: "/users/user_1", urlParams: [], body: { _tag: "None" }, idempotent: true
 * }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkRequest {
  readonly operation: string
  readonly method: Method
  /** Already encoded, starting with `/`, without the `/v1` prefix. */
  readonly path: string
  readonly urlParams: UrlParams.UrlParams
  readonly body: RequestBody
  /** True when the request carries an idempotency key or is safe to repeat. */
  readonly idempotent: boolean
}

/**
 * A complete response: status, headers and the whole body as text.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * const response: ClerkClient.ClerkResponse = { status: 200, headers: {}, body: "{}" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * What the service holds once configured.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { Effect } from "effect"
 * const url = Effect.map(ClerkClient, (client) => client.config.apiUrl)
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ResolvedConfig {
  readonly secretKey: Redacted.Redacted<string>
  readonly apiUrl: string
  readonly apiVersion: string
  readonly timeout: Duration.Duration
  readonly userAgent: string
  /** `"production"` for `sk_live_` keys, `"development"` otherwise: decides the default rate limit. */
  readonly instance: "production" | "development"
  /** The most bytes of a response body read (after decompression); see `Options.maxResponseBytes`. */
  readonly maxResponseBytes: number
}

/**
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { Effect } from "effect"
 * const program = Effect.flatMap(ClerkClient, (client) =>
 *   client.execute({ operation: "ping", method: "GET", path: "/users/count", urlParams: [], body: { _tag: "None" }, idempotent: true })
 * )
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ClerkClientService {
  readonly config: ResolvedConfig
  readonly execute: (request: ClerkRequest) => Effect.Effect<ClerkResponse, TransportError>
}

/**
 * Options for `make` and `layer`.
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * import { Redacted } from "effect"
 * const options: ClerkClient.Options = { secretKey: Redacted.make("sk_test_xxx"), timeout: "5 seconds" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * `sk_test_…` or `sk_live_…`, printable ASCII only (no whitespace or control characters), at most 256 characters,
   * as a `Redacted` (`Redacted.make(key)`: a plain string is refused); anything else fails the layer with a
   * `ConfigError` (which never shows the key). The client keeps a `Redacted` copy of its own.
   */
  readonly secretKey: Redacted.Redacted<string>
  /**
   * Default `https://api.clerk.com`; `/v1` is appended (a trailing `/v1` given here is dropped first). Must be an
   * absolute http(s) URL without a user name or password, query or fragment: anything else fails the layer with a
   * `ConfigError` naming the option (the value it shows is cut short, any key redacted, user info as `***`).
   */
  readonly apiUrl?: string | undefined
  /**
   * Default 10 seconds, overridable per call with `withTimeout`; `Duration.infinity` turns it off. Anything but a
   * duration above zero (`-5`, `NaN`, `"abc"`, `"0 millis"`) fails the layer with a `ConfigError`.
   *
   * How the deadline ends a request: with Effect's live `Clock` it is one timer (no fiber forked) that aborts the
   * request's abort signal; fetch, undici and node:http (the platform's clients) and `ClerkTest` honour it and stop
   * at once, and the call fails with `TransportError` (reason `Timeout`). A custom transport (`HttpClient.make`) must
   * honour the `signal` it is given, as the platform's contract asks, for the deadline to end the call: one that
   * ignores it runs on until it answers or fails (the call then fails with `Timeout`). Under any other `Clock`
   * (`TestClock`) the deadline interrupts the request (`Effect.timeoutFail`), so virtual time drives it.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default `2026-05-12`, the version of the spec this SDK was built from. */
  readonly apiVersion?: string | undefined
  /** Appended to the SDK's own `User-Agent`. */
  readonly userAgentSuffix?: string | undefined
  /**
   * The most bytes of a response body that are read, counted after decompression (default 32 MiB,
   * `defaultMaxResponseBytes`: Clerk's largest page, 500 users, is a few MB). Past it the call fails with
   * `TransportError` (reason `ResponseTooLarge`) and nothing more is read; its message says how much was read
   * (where reading stopped; for a body refused on its `Content-Length`, the declared size; for a text a custom
   * transport handed over whole, its size in UTF-8). `Infinity` turns the cap off. Anything
   * but a whole number of at least 1 or `Infinity` fails the layer with a `ConfigError`.
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The default request timeout.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * console.log(ClerkClient.defaultTimeout)
 * ```
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(10)

/**
 * The default cap on a response body: 32 MiB, after decompression.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * console.log(ClerkClient.defaultMaxResponseBytes) // 33554432
 * ```
 * @since 0.2.0
 * @category constants
 */
export const defaultMaxResponseBytes: number = 32 * 1024 * 1024

/**
 * The per-call timeout override; `withTimeout` sets it. Set directly (`Effect.locally`), a value `withTimeout` would
 * refuse (not an `Option`, or an `Option.some` of anything but a duration above zero: `Duration.zero`,
 * `Duration.millis(-1)`, which is zero, `NaN`, `"abc"`) is refused the same way: every operation inside fails with
 * `InvalidInput` naming it, nothing sent (a request reaching `execute` another way is sent under the client's own
 * timeout). A usable value is read once per operation and a copy of it is used.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { FiberRef } from "effect"
 * const current = FiberRef.get(ClerkClient.currentTimeout)
 * ```
 * @since 0.1.0
 * @category fiber refs
 */
export const currentTimeout: FiberRef.FiberRef<Option.Option<Duration.Duration>> = TimeoutOverride.currentTimeout

/**
 * Runs `self` with a different timeout for every Clerk request it makes (each attempt gets the whole timeout).
 * A timeout that is not a duration above zero (`"abc"`, `-5`, `NaN`, `"0 millis"`) sends nothing: every operation
 * inside fails with `InvalidInput` saying so. The deadline ends a request as `Options.timeout` says: with the live
 * `Clock` by aborting the request's abort signal (which the platform's clients and `ClerkTest` honour; a custom
 * `HttpClient.make` transport must honour it too), under `TestClock` by interrupting it.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { Users } from "@effect-clerk/users"
 * const quick = Users.get("user_1").pipe(ClerkClient.withTimeout("2 seconds"))
 * ```
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R> => {
    const override = TimeoutOverride.timeoutOverride(timeout)
    return Either.isRight(override)
      ? Effect.locally(self, currentTimeout, override.right)
      : Effect.locally(
        self,
        ClerkConfig.currentInvalidOverride,
        `ClerkClient.withTimeout: the timeout ${override.left}`
      )
  }
)

const connectCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL"
])

/**
 * True when a transport failure happened before a connection existed (so no byte of the request reached the
 * server). fetch/undici wrap the system error: the code is looked for along the `cause` chain.
 */
const isConnectFailure = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code: unknown = "code" in current ? current.code : undefined
    if (typeof code === "string" && connectCodes.has(code)) return true
    current = "cause" in current ? current.cause : undefined
  }
  return false
}

/**
 * Encodes a multipart form to bytes with the runtime's own `Response` (boundary and content type included), so
 * every transport sends plain bytes: a global `FormData` handed to another `FormData` implementation (npm undici's
 * `request` under Node's bundled one) fails inside the transport ("action is not a function").
 */
const multipartBytes = (form: FormData) =>
  Effect.tryPromise({
    try: async () => {
      const encoded = new Response(form)
      const contentType = encoded.headers.get("content-type") ?? "multipart/form-data"
      return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType }
    },
    catch: (cause) => cause instanceof Error ? cause : new Error(String(cause))
  })

const transportWhat: Record<TransportError["reason"], string> = {
  ConnectError: "could not connect",
  RequestError: "the request failed",
  ResponseError: "reading the response failed",
  ResponseTooLarge: "the response is too large",
  Timeout: "timed out"
}

/** How much of a body past the cap was read, as `TooLarge` counts it (`internal/body.ts`). */
const tooLargeWhat: Record<TooLarge["how"], (bytes: number) => string> = {
  stopped: (bytes) => `reading stopped after ${bytes} bytes`,
  whole: (bytes) => `its text, read whole, is ${bytes} bytes as UTF-8`,
  declared: (bytes) => `its Content-Length declares ${bytes} bytes; nothing was read`
}

/**
 * The messages along a failure's `cause` chain, outermost first (`fetch failed: connect ECONNREFUSED 127.0.0.1:9`):
 * fetch and undici wrap the system error, whose message is the useful one. An `AggregateError` (one failure per
 * address tried) contributes its members' messages.
 */
/**
 * What a user's `HttpClient` failed with, when its type promises an `HttpClientError` and it gave something else (a
 * string, `undefined`, an object with a foreign `_tag`): named by kind, never by contents (a string may quote the key).
 * `undefined` for the failures the transport's type allows. Nothing here throws, even for a hostile `Proxy`.
 */
const foreignFailure = (error: unknown): string | undefined => {
  try {
    if (error instanceof TooLarge || error instanceof TransportError) return undefined
    if (typeof error === "object" && error !== null && HttpClientError.TypeId in error) return undefined
    return error === null
      ? "null"
      : error instanceof Error
      ? "an Error"
      : typeof error === "object"
      ? "an object"
      : typeof error
  } catch {
    return "an object that throws when inspected"
  }
}

const causeMessages = (cause: unknown): string | undefined => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.message !== "") parts.push(current.message)
    if (current instanceof AggregateError && Array.isArray(current.errors)) {
      const members: Array<unknown> = current.errors
      for (const member of members.slice(0, 3)) if (member instanceof Error) parts.push(member.message)
    }
    current = current.cause
  }
  const unique = parts.filter((part, i) => parts.indexOf(part) === i)
  return unique.length === 0 ? undefined : unique.join(": ").slice(0, 500)
}

/**
 * Builds the service over the platform `HttpClient` (fetch, undici, or the emulator's in-memory client).
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 *
 * const client = ClerkClient.make({ secretKey: Redacted.make("sk_test_xxx") }).pipe(Effect.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<ClerkClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(Effect.suspend(() => ClientOptions.readClientOptions(options, ClientOptions.optionNames)), build)

/** The service over checked options (`internal/clientOptions.ts`: read once, only the copy used). */
const build = (
  options: ClientOptions.ClientOptions
): Effect.Effect<ClerkClientService, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const apiUrl = options.apiUrl
    const secret = Redacted.value(options.secretKey)
    const config: ResolvedConfig = {
      secretKey: options.secretKey,
      apiUrl,
      apiVersion: options.apiVersion ?? apiVersion,
      timeout: options.timeout ?? defaultTimeout,
      userAgent: `@effect-clerk/core/${packageVersion}${options.userAgentSuffix ? ` ${options.userAgentSuffix}` : ""}`,
      instance: secret.startsWith("sk_live_") ? "production" : "development",
      maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes
    }
    // One span per request, ours (below), instead of the platform's (`Transport.send` turns that off): it names the
    // operation, and no trace context headers are sent to Clerk, a third party that has no use for them.
    const transport = Transport.make(
      yield* HttpClient.HttpClient,
      Option.getOrUndefined(yield* Effect.serviceOption(FetchHttpClient.RequestInit)),
      config.maxResponseBytes
    )
    const baseUrl = `${apiUrl}/v1`
    const serverAddress = URL.canParse(apiUrl) ? new URL(apiUrl).host : apiUrl
    const scrub = scrubber(options.secretKey)
    const headers = {
      authorization: `Bearer ${secret}`,
      "clerk-api-version": config.apiVersion,
      "user-agent": config.userAgent
    }

    // One span per request, `ClerkClient.execute`, made only when a tracer is installed (`isTracing`): a leaf
    // (nothing under it needs it as parent), so `useSpan`, not put in the context.
    const execute = (request: ClerkRequest): Effect.Effect<ClerkResponse, TransportError> =>
      Effect.withFiberRuntime<ClerkResponse, TransportError>((fiber) => {
        // an unusable override set directly: `Endpoint.call` refuses it; any other caller gets the client's timeout
        const override = TimeoutOverride.readTimeout(fiber.getFiberRef(currentTimeout))
        const timeout = typeof override === "string" || Option.isNone(override) ? config.timeout : override.value
        if (!isTracing(fiber)) return exchange(request, timeout, undefined)
        // the span ends with the status alone: a tracer gets the span's exit, and the response is unscrubbed
        const response = handOff<ClerkResponse>()
        return response.take(Effect.useSpan("ClerkClient.execute", {
          kind: "client",
          // the stack trace would point into this file: not worth an Error per request
          captureStackTrace: false,
          attributes: {
            "clerk.operation": request.operation,
            "http.request.method": request.method,
            "server.address": serverAddress,
            "url.path": request.path
          }
        }, (span) => response.keep(exchange(request, timeout, span))))
      })

    // What every request shares, built once: one request per method with the headers and `Accept` set (per call only
    // the URL and its query change: one copy, instead of five and a headers object).
    const template = (method: Method) => HttpClientRequest.make(method)(baseUrl, { acceptJson: true, headers })
    const templates: Record<Method, HttpClientRequest.HttpClientRequest> = {
      GET: template("GET"),
      POST: template("POST"),
      PATCH: template("PATCH"),
      PUT: template("PUT"),
      DELETE: template("DELETE")
    }
    const whereOf = (request: ClerkRequest) => `${request.operation} (${request.method} ${request.path})`
    const failure = (request: ClerkRequest, reason: TransportError["reason"], message: string, cause?: unknown) =>
      new TransportError({ reason, message, method: request.method, path: request.path, cause })
    /**
     * A transport's failure as a `TransportError`. Whatever the failure holds is read defensively: a getter or `Proxy`
     * trap that throws (in the failure, its `_tag`, or a `cause`'s `message`) gives a `RequestError` saying so.
     */
    const transportFailure = (
      request: ClerkRequest,
      error: HttpClientError.HttpClientError | TooLarge | TransportError
    ): TransportError => {
      try {
        return readFailure(request, error)
      } catch {
        return failure(
          request,
          "RequestError",
          `${whereOf(request)}: ${transportWhat.RequestError}: the HttpClient's failure threw when read`
        )
      }
    }
    const readFailure = (
      request: ClerkRequest,
      error: HttpClientError.HttpClientError | TooLarge | TransportError
    ): TransportError => {
      // a user's client may break its own type: a typed failure all the same, named by the kind of value
      const foreign = foreignFailure(error)
      if (foreign === undefined && error instanceof TransportError) return error
      if (foreign !== undefined) {
        return failure(
          request,
          "RequestError",
          `${whereOf(request)}: ${transportWhat.RequestError}: the HttpClient failed with ${foreign}, ` +
            `not an HttpClientError`,
          scrubCause(error, scrub)
        )
      }
      if (error._tag === "TooLarge") {
        return failure(
          request,
          "ResponseTooLarge",
          `${whereOf(request)}: the response body is over the ${config.maxResponseBytes}-byte cap ` +
            `(maxResponseBytes); ${tooLargeWhat[error.how](error.bytes)}`
        )
      }
      const reason = error._tag === "ResponseError"
        ? "ResponseError"
        : isConnectFailure(error.cause)
        ? "ConnectError"
        : "RequestError"
      return failure(
        request,
        reason,
        scrub(`${whereOf(request)}: ${transportWhat[reason]}: ${causeMessages(error.cause) ?? error.reason}`),
        scrubCause(error.cause ?? error.reason, scrub)
      )
    }
    const sent = (
      request: ClerkRequest,
      httpRequest: HttpClientRequest.HttpClientRequest,
      timeout: Duration.Duration,
      span: Tracer.Span | undefined
    ): Effect.Effect<ClerkResponse, TransportError> => {
      const received = Effect.mapError(
        Transport.send(
          transport,
          httpRequest,
          timeout,
          () => failure(request, "Timeout", `${whereOf(request)}: no response within ${Duration.format(timeout)}`)
        ),
        (error) => transportFailure(request, error)
      )
      return span === undefined ? received : Effect.map(received, (response): ClerkResponse => {
        span.attribute("http.response.status_code", response.status)
        return response
      })
    }

    const exchange = (
      request: ClerkRequest,
      timeout: Duration.Duration,
      span: Tracer.Span | undefined
    ): Effect.Effect<ClerkResponse, TransportError> => {
      const url = HttpClientRequest.setUrl(templates[request.method], `${baseUrl}${request.path}`)
      const httpRequest = request.urlParams.length === 0 ? url : HttpClientRequest.setUrlParams(url, request.urlParams)
      switch (request.body._tag) {
        case "None":
          return sent(request, httpRequest, timeout, span)
        case "Json":
          return sent(
            request,
            HttpClientRequest.bodyText(httpRequest, JSON.stringify(request.body.value), "application/json"),
            timeout,
            span
          )
        case "FormData":
          return Effect.flatMap(
            Effect.mapError(multipartBytes(request.body.value), (cause) =>
              failure(
                request,
                "RequestError",
                scrub(`${whereOf(request)}: the multipart body could not be encoded: ${cause.message}`),
                scrubCause(cause, scrub)
              )),
            (multipart) =>
              sent(
                request,
                HttpClientRequest.bodyUint8Array(httpRequest, multipart.bytes, multipart.contentType),
                timeout,
                span
              )
          )
      }
    }
    return { config, execute }
  })

/**
 * A layer from explicit options; requires an `HttpClient` (`FetchHttpClient.layer`, `NodeHttpClient.layerUndici`).
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 *
 * const live = ClerkClient.layer({ secretKey: Redacted.make("sk_test_xxx") }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<ClerkClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(ClerkClient, make(options))

/**
 * A layer reading `CLERK_SECRET_KEY` (required, redacted) and `CLERK_API_URL` (optional) from the environment,
 * or from the configs you pass. What they give is checked as `layer`'s options are, and reported under the variables'
 * names; an argument that is not an object of `Config`s (null, a plain value where a `Config` goes, a getter that
 * throws) fails the layer with a `ConfigError` naming it.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 *
 * const live = ClerkClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config?: {
    readonly secretKey?: Config.Config<Redacted.Redacted<string>> | undefined
    readonly apiUrl?: Config.Config<string | undefined> | undefined
    readonly timeout?: Config.Config<Duration.Duration | undefined> | undefined
  }
): Layer.Layer<ClerkClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    ClerkClient,
    Effect.gen(function*() {
      // read once: the argument, then what each Config gives (checked below, never trusted to match its type)
      const configs = yield* Effect.suspend(() => ClientOptions.readLayerConfigs(config))
      const secretKey = yield* (configs.secretKey ?? Config.option(Config.redacted("CLERK_SECRET_KEY")).pipe(
        Config.mapOrFail(Option.match({
          onNone: () => Either.left(ClientOptions.missingKey("CLERK_SECRET_KEY")),
          onSome: Either.right
        }))
      ))
      const apiUrl = yield* (configs.apiUrl ?? Config.string("CLERK_API_URL").pipe(Config.withDefault(undefined)))
      const timeout = yield* (configs.timeout ?? Config.succeed(undefined))
      // checked under the names the values came from (CLERK_SECRET_KEY, CLERK_API_URL)
      return yield* build(
        yield* ClientOptions.readClientOptions({ secretKey, apiUrl, timeout }, ClientOptions.envNames)
      )
    })
  )

/**
 * A layer that replaces the service's `execute` with a decorated one: how `ClerkRetry` and `ClerkRateLimit` plug in.
 * A `ConfigError` thrown by `f` (as `ClerkRetry.wrap` throws one for a policy it cannot use) fails the layer with it;
 * anything else `f` throws is a defect. An `f` that is not a function, or that returns no function, fails the layer
 * with a `ConfigError` too.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { Effect } from "effect"
 *
 * const logging = ClerkClient.decorate((execute) => (request) =>
 *   Effect.tap(execute(request), (response) => Effect.log(`${request.operation} -> ${response.status}`))
 * )
 * ```
 * @since 0.1.0
 * @category layers
 */
export const decorate = (
  f: (execute: ClerkClientService["execute"], config: ResolvedConfig) => ClerkClientService["execute"]
): Layer.Layer<ClerkClient, ConfigError.ConfigError, ClerkClient> =>
  Layer.effect(
    ClerkClient,
    Effect.flatMap(ClerkClient, (client) => {
      const invalid = (problem: string) =>
        Effect.fail(ConfigError.InvalidData(["ClerkClient.decorate"], `ClerkClient.decorate: ${problem}`))
      if (typeof f !== "function") return invalid(`its argument must be a function, got ${ClerkConfig.kind(f)}`)
      let execute: ClerkClientService["execute"]
      try {
        execute = f(client.execute, client.config)
      } catch (error) {
        return isConfigError(error) ? Effect.fail(error) : Effect.die(error)
      }
      return typeof execute === "function"
        ? Effect.succeed({ config: client.config, execute })
        : invalid(`the function must return an execute function, got ${ClerkConfig.kind(execute)}`)
    })
  )

/** `ConfigError.isConfigError`, false for a value whose reading throws (a revoked Proxy thrown by `f`). */
const isConfigError = (error: unknown): error is ConfigError.ConfigError => {
  try {
    return ConfigError.isConfigError(error)
  } catch {
    return false
  }
}

/**
 * The service: a `Context.Tag` (so `yield* ClerkClient` and `Effect<A, E, ClerkClient>` work) that also carries its
 * constructors and combinators, so `ClerkClient.layerConfig()`, `ClerkClient.layer(options)`,
 * `ClerkClient.withTimeout(...)` read as one API.
 *
 * @example
 * ```ts
 * import { ClerkClient } from "@effect-clerk/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const instance = Effect.map(ClerkClient, (client) => client.config.instance)
 * const live = ClerkClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * const program = instance.pipe(Effect.provide(live))
 * ```
 * @since 0.1.0
 * @category tags
 */
export class ClerkClient extends Context.Tag("@effect-clerk/core/ClerkClient")<ClerkClient, ClerkClientService>() {
  /** @see {@link make} */
  static readonly make = make
  /** @see {@link layer} */
  static readonly layer = layer
  /** @see {@link layerConfig} */
  static readonly layerConfig = layerConfig
  /** @see {@link decorate} */
  static readonly decorate = decorate
  /** @see {@link withTimeout} */
  static readonly withTimeout = withTimeout
  /** @see {@link defaultTimeout} */
  static readonly defaultTimeout = defaultTimeout
  /** @see {@link defaultMaxResponseBytes} */
  static readonly defaultMaxResponseBytes = defaultMaxResponseBytes
  /** @see {@link currentTimeout} */
  static readonly currentTimeout = currentTimeout
}

/**
 * The types that go with the service, under its name (`ClerkClient.Options`, `ClerkClient.ClerkRequest`, ...).
 *
 * @example
 * ```ts
 * import type { ClerkClient } from "@effect-clerk/core"
 * import { Redacted } from "effect"
 * const options: ClerkClient.Options = { secretKey: Redacted.make("sk_test_xxx") }
 * ```
 * @since 0.1.0
 * @category models
 */
export declare namespace ClerkClient {
  /** @since 0.1.0 */
  export type Method = Self.Method
  /** @since 0.1.0 */
  export type Idempotency = Self.Idempotency
  /** @since 0.1.0 */
  export type RequestBody = Self.RequestBody
  /** @since 0.1.0 */
  export type ClerkRequest = Self.ClerkRequest
  /** @since 0.1.0 */
  export type ClerkResponse = Self.ClerkResponse
  /** @since 0.1.0 */
  export type ResolvedConfig = Self.ResolvedConfig
  /** @since 0.1.0 */
  export type Service = Self.ClerkClientService
  /** @since 0.1.0 */
  export type Options = Self.Options
}
