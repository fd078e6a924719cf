import {
  type BadRequest,
  ClerkClient,
  type ClerkInfraError,
  type Conflict,
  DecodeError,
  Endpoint,
  type Forbidden,
  InternalServerError,
  InvalidInput,
  NotFound,
  type PaymentRequired,
  TooManyRequests,
  TransportError,
  type Unauthorized,
  UnexpectedStatus,
  UnprocessableEntity
} from "@effect-clerk/core"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import {
  clerkErrors,
  clientLayer,
  createThing,
  getNested,
  getThing,
  jsonResponse,
  listThings,
  networkReset,
  type Recorded
} from "./fixtures.js"

const thingJson = { id: "thing_1", first_name: "Ada" }

describe("Endpoint.call", () => {
  it.effect("decodes a success into camelCase and sends Clerk's headers to base URL + /v1", () => {
    const recorded: Recorded = { requests: [] }
    return Effect.gen(function*() {
      const thing = yield* Endpoint.call(getThing, { path: ["thing_1"] })
      expect(thing).toEqual({ id: "thing_1", firstName: "Ada" })
      const request = recorded.requests[0]!
      expect(request.url).toBe("https://clerk.test/v1/things/thing_1")
      expect(request.method).toBe("GET")
      expect(request.headers["authorization"]).toMatch(/^Bearer sk_test_/)
      expect(request.headers["clerk-api-version"]).toBe("2026-05-12")
      expect(request.headers["user-agent"]).toMatch(/^@effect-clerk\/core\/\d+\.\d+\.\d+/)
      expect(request.headers["accept"]).toBe("application/json")
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, thingJson), recorded)))
  })

  const statuses = [
    [400, "BadRequest"],
    [401, "Unauthorized"],
    [402, "PaymentRequired"],
    [403, "Forbidden"],
    [404, "NotFound"],
    [409, "Conflict"],
    [422, "UnprocessableEntity"],
    [429, "TooManyRequests"],
    [500, "InternalServerError"]
  ] as const
  for (const [status, tag] of statuses) {
    it.effect(`maps ${status} to ${tag} with every errors[] field, the trace id and Clerk's own message`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(error._tag).toBe(tag)
        if (error._tag === "InvalidInput" || error._tag === "TransportError" || error._tag === "DecodeError") {
          return expect.unreachable()
        }
        expect(error.status).toBe(status)
        expect(error.message).toBe("something failed (long)")
        expect(error.clerkTraceId).toBe("trace_123")
        expect(error.errors).toEqual([{
          code: "some_code",
          message: "something failed",
          longMessage: "something failed (long)",
          meta: { param_name: "user_id", nested: { a: 1 } }
        }])
        expect(error).toBeInstanceOf(Error)
      }).pipe(Effect.provide(clientLayer(() => jsonResponse(status, clerkErrors("some_code", "something failed"))))))
  }

  it.effect("catchTag recovers exactly the documented tag", () =>
    Endpoint.call(getThing, { path: ["missing"] }).pipe(
      Effect.catchTag("NotFound", (e) => Effect.succeed(`recovered ${e.errors[0]?.code}`)),
      Effect.map((out) => expect(out).toBe("recovered resource_not_found")),
      Effect.provide(clientLayer(() => jsonResponse(404, clerkErrors("resource_not_found", "not found"))))
    ))

  it.effect("an undocumented status becomes UnexpectedStatus carrying the status and an excerpt", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] }))
      expect(error).toBeInstanceOf(UnexpectedStatus)
      if (error._tag !== "UnexpectedStatus") return expect.unreachable()
      expect(error.status).toBe(503)
      expect(error.excerpt).toContain("<html>")
      expect(error.errors).toEqual([])
    }).pipe(
      Effect.provide(clientLayer(() => new Response("<html><body>Service Unavailable</body></html>", { status: 503 })))
    ))

  it.effect("a documented status with an HTML page keeps its tag and says what came back", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] }))
      expect(error).toBeInstanceOf(NotFound)
      expect(error.message).toContain("<html>")
    }).pipe(Effect.provide(clientLayer(() => new Response("<html>Not Found</html>", { status: 404 })))))

  it.effect("an undocumented 409 on an endpoint that lacks it is UnexpectedStatus with Clerk's errors kept", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] }))
      if (error._tag !== "UnexpectedStatus") return expect.unreachable()
      expect(error.status).toBe(409)
      expect(error.errors[0]?.code).toBe("conflict_code")
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(409, clerkErrors("conflict_code", "conflict"))))))

  const broken: ReadonlyArray<readonly [string, () => Response]> = [
    ["an empty body", () => new Response("", { status: 200 })],
    ["an HTML page with 200", () => new Response("<!doctype html><html>hello</html>", { status: 200 })],
    ["truncated JSON", () => new Response("{\"id\":\"thing_1\",\"first_na", { status: 200 })],
    ["JSON of the wrong shape", () => jsonResponse(200, { id: 42 })],
    ["garbage bytes", () => new Response(new Uint8Array([0xff, 0xfe, 0x00, 0x12]), { status: 200 })],
    ["a huge non-JSON body", () => new Response("x".repeat(100_000), { status: 200 })]
  ]
  for (const [what, respond] of broken) {
    it.effect(`${what} yields DecodeError with an excerpt of at most 1 KB`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(error).toBeInstanceOf(DecodeError)
        if (error._tag !== "DecodeError") return expect.unreachable()
        expect(error.status).toBe(200)
        expect(error.operation).toBe("Things.get")
        expect(error.excerpt.length).toBeLessThanOrEqual(1025)
      }).pipe(Effect.provide(clientLayer(respond))))
  }

  it.effect("a network reset is a TransportError keeping the original cause", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      expect(error).toBeInstanceOf(TransportError)
      if (error._tag !== "TransportError") return expect.unreachable()
      expect(error.reason).toBe("RequestError")
      expect(error.beforeSend).toBe(false)
      expect(error.cause).toBeInstanceOf(Error)
      expect(error.cause instanceof Error && error.cause.message).toBe("socket hang up")
    }).pipe(Effect.provide(clientLayer(networkReset))))

  it.effect("a refused connection is a ConnectError: the request was never sent", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      if (error._tag !== "TransportError") return expect.unreachable()
      expect(error.reason).toBe("ConnectError")
      expect(error.beforeSend).toBe(true)
    }).pipe(Effect.provide(clientLayer((request) =>
      Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: new TypeError("fetch failed", {
            cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })
          })
        })
      )
    ))))

  it.effect("a body cut off mid-stream is a TransportError (ResponseError)", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      if (error._tag !== "TransportError") return expect.unreachable()
      expect(error.reason).toBe("ResponseError")
      expect(error.beforeSend).toBe(false)
    }).pipe(Effect.provide(clientLayer(() =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("{\"id\":"))
            controller.error(new Error("connection reset"))
          }
        }),
        { status: 200 }
      )
    ))))

  it.effect("Retry-After in seconds", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      if (!(error instanceof TooManyRequests)) return expect.unreachable()
      expect(error.retryAfter).toEqual(Duration.seconds(7))
    }).pipe(Effect.provide(clientLayer(() =>
      jsonResponse(429, clerkErrors("too_many_requests", "slow"), { "retry-after": "7" })
    ))))

  it.effect("Retry-After as an HTTP date, relative to the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-01-01T00:00:00Z"))
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      if (!(error instanceof TooManyRequests)) return expect.unreachable()
      expect(error.retryAfter).toEqual(Duration.seconds(30))
    }).pipe(Effect.provide(clientLayer(() =>
      jsonResponse(429, clerkErrors("too_many_requests", "slow"), { "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" })
    ))))

  it.effect("a 429 without Retry-After has no retryAfter", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      if (!(error instanceof TooManyRequests)) return expect.unreachable()
      expect(error.retryAfter).toBeUndefined()
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(429, { errors: [] })))))

  const badIds = [
    "",
    " ",
    "a b",
    "a/b",
    "../users",
    "..",
    ".",
    "a?b=1",
    "a#frag",
    "a%2Fb",
    "tab\there",
    "line\nbreak",
    "a\\b"
  ]
  for (const id of badIds) {
    it.effect(`refuses the id ${JSON.stringify(id)} with InvalidInput before any request`, () => {
      const recorded: Recorded = { requests: [] }
      return Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["ok_id", id] }))
        expect(error).toBeInstanceOf(InvalidInput)
        expect(error.message).toContain("part_id")
        expect(recorded.requests).toHaveLength(0)
      }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, thingJson), recorded)))
    })
  }

  it.effect("refuses non-string ids passed from untyped code", () => {
    const recorded: Recorded = { requests: [] }
    const untyped: ReadonlyArray<string> = JSON.parse("[null, 42]")
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: untyped }))
      expect(error).toBeInstanceOf(InvalidInput)
      expect(recorded.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, thingJson), recorded)))
  })

  it.effect("encodes ids that are safe but unusual instead of refusing them", () => {
    const recorded: Recorded = { requests: [] }
    return Effect.gen(function*() {
      yield* Endpoint.call(getThing, { path: ["user_ünï:cöde"] })
      expect(recorded.requests[0]!.url).toBe(`https://clerk.test/v1/things/${encodeURIComponent("user_ünï:cöde")}`)
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, thingJson), recorded)))
  })

  it.effect("arrays go as repeated keys, null and undefined are dropped, 0 and false are sent", () => {
    const recorded: Recorded = { requests: [] }
    return Effect.gen(function*() {
      yield* Endpoint.call(listThings, {
        query: { emailAddress: ["a@x.co", "b@x.co"], limit: 0, banned: false, query: null, offset: undefined }
      })
      const request = recorded.requests[0]!
      expect(request.urlParams).toEqual([
        ["email_address", "a@x.co"],
        ["email_address", "b@x.co"],
        ["limit", "0"],
        ["banned", "false"]
      ])
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, [thingJson]), recorded)))
  })

  it.effect("a query value of the wrong type is InvalidInput, not a defect", () => {
    const recorded: Recorded = { requests: [] }
    const wrong: { readonly limit: number } = JSON.parse("{\"limit\":\"ten\"}")
    return Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(listThings, { query: wrong }))
      expect(error).toBeInstanceOf(InvalidInput)
      expect(recorded.requests).toHaveLength(0)
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, []), recorded)))
  })

  it.effect("JSON bodies go snake_case at the top level only; metadata contents are untouched", () => {
    const recorded: Recorded = { requests: [] }
    return Effect.gen(function*() {
      yield* Endpoint.call(createThing, {
        body: { firstName: "Ada", publicMetadata: { camelKey: 1, nested_key: { innerCamel: true } } }
      })
      const request = recorded.requests[0]!
      expect(request.body._tag).toBe("Uint8Array")
      if (request.body._tag !== "Uint8Array") return
      expect(JSON.parse(new TextDecoder().decode(request.body.body))).toEqual({
        first_name: "Ada",
        public_metadata: { camelKey: 1, nested_key: { innerCamel: true } }
      })
      expect(request.body.contentType).toBe("application/json")
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, thingJson), recorded)))
  })

  it.effect("times out with TransportError(Timeout), and withTimeout overrides per call", () => {
    let aborted = 0
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Effect.flip(Endpoint.call(getThing, { path: ["slow"] })))
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      if (error._tag !== "TransportError") return expect.unreachable()
      expect(error.reason).toBe("Timeout")
      const quick = yield* Effect.fork(
        Effect.either(Endpoint.call(getThing, { path: ["slow"] }).pipe(ClerkClient.withTimeout("1 second")))
      )
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(quick)
      expect(Either.isLeft(result) && result.left._tag === "TransportError" && result.left.reason).toBe("Timeout")
      expect(aborted).toBe(2)
    }).pipe(
      Effect.provide(clientLayer(() => Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => aborted++)))))
    )
  })

  it.effect("an infinite timeout never cuts a slow answer", () =>
    Effect.gen(function*() {
      const fiber = yield* Effect.fork(Endpoint.call(getThing, { path: ["slow"] }))
      yield* TestClock.adjust("2 hours")
      const thing = yield* Fiber.join(fiber)
      expect(thing.id).toBe("thing_1")
    }).pipe(Effect.provide(clientLayer(
      () => Effect.as(Effect.sleep("1 hour"), jsonResponse(200, thingJson)),
      { requests: [] },
      { timeout: Duration.infinity }
    ))))

  it.effect("interrupting the caller interrupts the HTTP request", () => {
    let aborted = false
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(Endpoint.call(getThing, { path: ["slow"] }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      expect(aborted).toBe(true)
    }).pipe(
      Effect.provide(
        clientLayer(() => Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (aborted = true)))))
      )
    )
  })

  it("types: the error channel is exactly the declared statuses + TooManyRequests + infrastructure errors", () => {
    expectTypeOf(Endpoint.call(getNested, { path: ["a", "b"] })).toEqualTypeOf<
      Effect.Effect<
        { readonly id: string; readonly firstName: string | null },
        NotFound | TooManyRequests | ClerkInfraError,
        ClerkClient
      >
    >()
    expectTypeOf<Endpoint.Error<typeof getThing>>().toEqualTypeOf<
      | BadRequest
      | Unauthorized
      | PaymentRequired
      | Forbidden
      | NotFound
      | Conflict
      | UnprocessableEntity
      | InternalServerError
      | TooManyRequests
      | ClerkInfraError
    >()
    expectTypeOf<Endpoint.Error<typeof listThings>>().toEqualTypeOf<
      UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expect(new InternalServerError({ status: 500, message: "x", errors: [] })._tag).toBe("InternalServerError")
    expect(new UnprocessableEntity({ status: 422, message: "x", errors: [] })).toBeInstanceOf(UnprocessableEntity)
  })
})
