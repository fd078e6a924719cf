import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Scope from "effect/Scope"
import { readText, type TooLarge } from "./body.js"

/**
 * A response as read off the wire: status, headers (lower-case names) and the whole body as text.
 *
 * @internal
 */
export interface Received {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const liveClock: unknown = Object.getPrototypeOf(Clock.make())
/** setTimeout's largest delay (about 24.8 days); a longer deadline goes through the Clock. */
const maxTimer = 2 ** 31 - 1
const tracerOff = () => true

/**
 * The parts of a client that `send` needs, built once per client.
 *
 * @internal
 */
export interface Transport {
  /** The user's client, each request's abort signal owned by a `Scope` (`HttpClient.withScope`). */
  readonly scoped: HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope>
  /** What fetch is told besides the request: the user's `RequestInit` with `redirect: "manual"`. */
  readonly init: (context: Context.Context<never>) => RequestInit
  readonly maxResponseBytes: number
}

/**
 * The user's `HttpClient`, prepared once: abort signals owned by a per-request `Scope`. The `RequestInit` the
 * client was built with (if any) is the default; one provided around a call wins. Clerk never redirects: a 3xx must
 * reach `decodeResponse` as `UnexpectedStatus`, never be followed (to another host, with the key; a create re-sent
 * as GET). node:http and undici's `request` do not follow; fetch does unless told, through the `RequestInit` it
 * reads from the context (kept as given, `redirect` forced).
 *
 * @internal
 */
export const make = (
  client: HttpClient.HttpClient,
  fallbackInit: RequestInit | undefined,
  maxResponseBytes: number
): Transport => {
  const manual = (init: RequestInit | undefined): RequestInit => ({ ...init, redirect: "manual" })
  const fallback = manual(fallbackInit)
  let lastGiven: RequestInit | undefined
  let lastManual = fallback
  return {
    scoped: HttpClient.withScope(client),
    init: (context) => {
      const given = Context.getOrElse(context, FetchHttpClient.RequestInit, () => undefined)
      if (given === undefined) return fallback
      // the same `RequestInit` call after call (a layer's): one copy, not one per request
      if (given !== lastGiven) {
        lastGiven = given
        lastManual = manual(given)
      }
      return lastManual
    },
    maxResponseBytes
  }
}

/**
 * Sends one request and reads its whole body, in the calling fiber (nothing forked).
 *
 * The request runs with, in one context change, a fresh `Scope` owning its abort signal and fetch's `RequestInit`
 * (`redirect: "manual"`); and with the platform's own HTTP span turned off (the SDK's span stands for the request, and no
 * trace headers go to Clerk). Interruption closes the scope, which aborts the transport's request.
 *
 * The deadline: with Effect's live `Clock`, one timer; when it fires it closes the scope (fetch and undici stop at
 * once) and the call fails with `onTimeout()`, also when a transport that ignores the signal answers later. With any
 * other `Clock` (`TestClock`, a custom one), `Effect.timeoutFail`, so virtual time drives the deadline.
 *
 * @internal
 */
export const send = <E2>(
  transport: Transport,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<Received, HttpClientError.HttpClientError | TooLarge | E2> => {
  if (!Duration.isFinite(timeout)) return run(transport, request, 0, onTimeout)
  const millis = Duration.toMillis(timeout)
  return Effect.clockWith((clock) =>
    Object.getPrototypeOf(clock) === liveClock && millis <= maxTimer
      ? run(transport, request, millis, onTimeout)
      : Effect.timeoutFail(run(transport, request, 0, onTimeout), { duration: timeout, onTimeout })
  )
}

const run = <E2>(
  transport: Transport,
  request: HttpClientRequest.HttpClientRequest,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<Received, HttpClientError.HttpClientError | TooLarge | E2> =>
  Effect.flatMap(Scope.make(), (scope) =>
    Effect.uninterruptibleMask((restore) =>
      Effect.withFiberRuntime((fiber) => {
        const context = fiber.currentContext
        const disabledWhen = fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)
        const inner = Context.add(
          Context.add(context, Scope.Scope, scope),
          FetchHttpClient.RequestInit,
          transport.init(context)
        )
        let timedOut = false
        const timer = millis === 0 ? undefined : setTimeout(() => {
          timedOut = true
          Effect.runSync(Scope.close(scope, Exit.void))
        }, millis)
        const reset = FiberRef.set(HttpClient.currentTracerDisabledWhen, disabledWhen)
        const exchange = Effect.flatMap(transport.scoped.execute(request), (response) => {
          const headers = response.headers
          return Effect.map(
            readText(response, transport.maxResponseBytes, headers),
            (body): Received => ({ status: response.status, headers: toRecord(headers), body })
          )
        })
        return Effect.zipRight(
          FiberRef.set(HttpClient.currentTracerDisabledWhen, tracerOff),
          Effect.matchCauseEffect(restore(Effect.provide(exchange, inner)), {
            onFailure: (cause): Effect.Effect<never, HttpClientError.HttpClientError | TooLarge | E2> => {
              clearTimeout(timer)
              const failed: Effect.Effect<never, HttpClientError.HttpClientError | TooLarge | E2> = timedOut
                ? Effect.fail(onTimeout())
                : Effect.failCause(cause)
              return reset.pipe(Effect.zipRight(Scope.close(scope, Exit.failCause(cause))), Effect.zipRight(failed))
            },
            // after a success the scope is dropped, not closed: aborting a finished request costs a DOMException
            onSuccess: (received) => {
              clearTimeout(timer)
              return Effect.zipRight(reset, timedOut ? Effect.fail(onTimeout()) : Effect.succeed(received))
            }
          })
        )
      })
    ))

const toRecord = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (value !== undefined) out[key] = value
  }
  return out
}
