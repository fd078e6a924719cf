/**
 * The request timeout under Effect's live `Clock`: one timer, no forked fiber; when it fires the transport's abort
 * signal is aborted and the call fails with `TransportError(Timeout)`. (Under `TestClock` the timeout is
 * `Effect.timeoutFail`, driven by virtual time: Endpoint.test.ts.) No timing assertions: short real timeouts, and
 * what is asserted is the outcome and the signal.
 */
import { ClerkClient, Endpoint, TransportError } from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { getThing, secret } from "./fixtures.js"

const thingJson = JSON.stringify({ id: "thing_1", first_name: "Ada" })

/** A transport that hands out each request's abort signal, and answers as `answer` says. */
const transport = (
  signals: Array<AbortSignal>,
  answer: (
    signal: AbortSignal,
    request: HttpClientRequest.HttpClientRequest
  ) => Effect.Effect<Response, HttpClientError.HttpClientError>,
  options: Partial<ClerkClient.Options> = {}
) =>
  ClerkClient.layer({
    secretKey: Redacted.make(secret),
    apiUrl: "https://clerk.test",
    timeout: "50 millis",
    ...options
  })
    .pipe(
      Layer.provide(Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request, _url, signal) => {
          signals.push(signal)
          return Effect.map(answer(signal, request), (web) => HttpClientResponse.fromWeb(request, web))
        })
      ))
    )

/** Waits for the abort signal, then fails as fetch does. */
const untilAborted = (signal: AbortSignal, request: HttpClientRequest.HttpClientRequest) =>
  Effect.async<never, HttpClientError.HttpClientError>((resume) => {
    signal.addEventListener("abort", () =>
      resume(Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: signal.reason
        })
      )))
  })

describe("the request timeout under the live clock", () => {
  it.live("aborts the transport's request and fails with Timeout", () => {
    const signals: Array<AbortSignal> = []
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["slow"] }))
      expect(error instanceof TransportError && error.reason).toBe("Timeout")
      expect(error instanceof TransportError && error.message).toContain("no response within 50ms")
      expect(signals).toHaveLength(1)
      expect(signals[0]!.aborted).toBe(true)
    }).pipe(Effect.provide(transport(signals, untilAborted)))
  })

  it.live("a transport that ignores the signal still ends in Timeout when it answers late", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["slow"] }))
      expect(error instanceof TransportError && error.reason).toBe("Timeout")
    }).pipe(Effect.provide(transport([], () => Effect.as(Effect.sleep("150 millis"), new Response(thingJson))))))

  it.live("a quick answer succeeds, and its request is not aborted afterwards", () => {
    const signals: Array<AbortSignal> = []
    return Effect.gen(function*() {
      const thing = yield* Endpoint.call(getThing, { path: ["quick"] })
      expect(thing.firstName).toBe("Ada")
      expect(signals[0]!.aborted).toBe(false)
    }).pipe(Effect.provide(transport(signals, () => Effect.succeed(new Response(thingJson)), { timeout: "1 minute" })))
  })

  it.live("interrupting the caller aborts the request", () => {
    const signals: Array<AbortSignal> = []
    return Effect.gen(function*() {
      const started = yield* Deferred.make<boolean>()
      const fiber = yield* Effect.fork(
        Endpoint.call(getThing, { path: ["slow"] }).pipe(
          Effect.provide(
            transport(
              signals,
              (signal, request) => Effect.zipRight(Deferred.succeed(started, true), untilAborted(signal, request)),
              { timeout: "1 minute" }
            )
          )
        )
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(signals[0]!.aborted).toBe(true)
    })
  })

  it.live("withTimeout overrides the deadline per call", () => {
    const signals: Array<AbortSignal> = []
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        Endpoint.call(getThing, { path: ["slow"] }).pipe(ClerkClient.withTimeout("20 millis"))
      )
      expect(error instanceof TransportError && error.message).toContain("no response within 20ms")
    }).pipe(Effect.provide(transport(signals, untilAborted, { timeout: "1 minute" })))
  })
})
