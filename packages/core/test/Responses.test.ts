import {
  ClerkClient,
  type ClerkInfraError,
  DecodeError,
  Endpoint,
  type NotFound,
  NotFound as NotFoundClass,
  TransportError,
  UnexpectedStatus
} from "@effect-clerk/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Net from "node:net"
import { clerkErrors, clientLayer, getNested, getThing, jsonResponse, listThings, secret } from "./fixtures.js"

const secretParts = [secret, secret.slice("sk_test_".length), secret.slice(-16), secret.slice(0, 20)]

/** A server that puts the request's Authorization header everywhere it can: body, messages, headers. */
const echoing =
  (status: number, shape: "envelope" | "html" | "json" | "wrong") => (request: HttpClientRequest.HttpClientRequest) => {
    const auth = request.headers["authorization"] ?? ""
    const headers = { "cf-ray": `ray ${auth}`, "x-echo": auth }
    switch (shape) {
      case "envelope":
        return jsonResponse(status, {
          errors: [{ code: auth, message: `you sent ${auth}`, long_message: `header: ${auth}`, meta: { auth } }],
          clerk_trace_id: auth
        }, headers)
      case "html":
        return new Response(`<html>${"x".repeat(1010)}${auth} ${auth.slice(7)}</html>`, { status, headers })
      case "json":
        return new Response(`{"authorization": "${auth}", "id": `, { status, headers })
      case "wrong":
        return jsonResponse(status, { id: 1, first_name: auth, key: auth.slice(7) }, headers)
    }
  }

describe("a server echoing the Authorization header", () => {
  const cases = [
    [404, "envelope"],
    [409, "envelope"],
    [429, "envelope"],
    [418, "envelope"],
    [502, "html"],
    [404, "html"],
    [200, "html"],
    [200, "json"],
    [200, "wrong"]
  ] as const
  for (const [status, shape] of cases) {
    it.effect(`${status} ${shape}: the key is in no message, excerpt, trace id, Cause.pretty or log`, () =>
      Effect.gen(function*() {
        const logs: Array<string> = []
        const logger = Logger.make(({ cause, message }) => logs.push(Inspectable.format(message), Cause.pretty(cause)))
        const exit = yield* Endpoint.call(getNested, { path: ["a", "b"] }).pipe(
          Effect.tapErrorCause((cause) => Effect.logError("failed", cause)),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Effect.exit
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (!Exit.isFailure(exit)) return
        const error = Cause.failures(exit.cause).pipe((chunk) => [...chunk][0])
        const texts = [
          Cause.pretty(exit.cause),
          Inspectable.format(error),
          JSON.stringify(error),
          String(error),
          ...logs
        ]
        if (error instanceof Error && error.stack) texts.push(error.stack)
        const leaks = texts.filter((text) => secretParts.some((part) => text.includes(part)))
        expect(leaks).toEqual([])
        expect(texts.join("\n")).toContain("<redacted>")
      }).pipe(Effect.provide(clientLayer(echoing(status, shape)))))
  }
})

describe("the correlation id of every error built from a response", () => {
  const call = Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
  const idOf = (error: Effect.Effect.Success<typeof call>) =>
    error instanceof TransportError || error._tag === "InvalidInput" ? "none" : error.clerkTraceId

  it.effect("a 404 without clerk_trace_id, served with cf-ray: the cf-ray", () =>
    Effect.map(call, (error) => {
      expect(error).toBeInstanceOf(NotFoundClass)
      expect(idOf(error)).toBe("8c1f2e3d4a5b6c7d-FRA")
    }).pipe(Effect.provide(clientLayer(() =>
      jsonResponse(404, { errors: [{ code: "resource_not_found", message: "not found" }] }, {
        "cf-ray": "8c1f2e3d4a5b6c7d-FRA"
      })
    ))))

  it.effect("a 502 HTML page with cf-ray: UnexpectedStatus carries the cf-ray", () =>
    Effect.map(Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] })), (error) => {
      expect(error).toBeInstanceOf(UnexpectedStatus)
      expect("clerkTraceId" in error && error.clerkTraceId).toBe("8c1f-AMS")
    }).pipe(
      Effect.provide(
        clientLayer(() => new Response("<html>Bad gateway</html>", { status: 502, headers: { "cf-ray": "8c1f-AMS" } }))
      )
    ))

  it.effect("a 200 that does not decode: DecodeError carries the cf-ray", () =>
    Effect.map(call, (error) => {
      expect(error).toBeInstanceOf(DecodeError)
      expect(idOf(error)).toBe("8c1f-CDG")
    }).pipe(Effect.provide(clientLayer(() =>
      new Response("<html>hello</html>", { status: 200, headers: { "cf-ray": "8c1f-CDG" } })
    ))))

  it.effect("a 200 of the wrong shape with clerk_trace_id in the body: DecodeError carries it", () =>
    Effect.map(call, (error) => {
      expect(error).toBeInstanceOf(DecodeError)
      expect(idOf(error)).toBe("trace_body")
    }).pipe(
      Effect.provide(
        clientLayer(() => jsonResponse(200, { id: 1, clerk_trace_id: "trace_body" }, { "cf-ray": "8c1f-CDG" }))
      )
    ))

  it.effect("the body's clerk_trace_id wins over headers; x-clerk-trace-id wins over cf-ray", () =>
    Effect.gen(function*() {
      const both = yield* call.pipe(
        Effect.provide(
          clientLayer(() =>
            jsonResponse(404, clerkErrors("resource_not_found", "nf"), { "cf-ray": "ray", "x-clerk-trace-id": "hdr" })
          )
        )
      )
      expect(idOf(both)).toBe("trace_123")
      const headersOnly = yield* call.pipe(
        Effect.provide(
          clientLayer(() => jsonResponse(404, { errors: [] }, { "cf-ray": "ray", "x-clerk-trace-id": "hdr" }))
        )
      )
      expect(idOf(headersOnly)).toBe("hdr")
      const none = yield* call.pipe(Effect.provide(clientLayer(() => jsonResponse(404, { errors: [] }))))
      expect(idOf(none)).toBeUndefined()
    }))
})

describe("messages say what happened", () => {
  it.effect("UnexpectedStatus: the operation, method, path and status", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] }))
      expect(error.message).toContain("Things.getNested")
      expect(error.message).toContain("DELETE /things/a/parts/b")
      expect(error.message).toContain("HTTP 503")
      expect(error.message).toContain("Service Unavailable")
    }).pipe(Effect.provide(clientLayer(() => new Response("<html>Service Unavailable</html>", { status: 503 })))))

  it.effect("UnexpectedStatus with Clerk's envelope: the status and Clerk's message", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getNested, { path: ["a", "b"] }))
      expect(error.message).toContain("DELETE /things/a/parts/b")
      expect(error.message).toContain("HTTP 409")
      expect(error.message).toContain("conflict (long)")
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(409, clerkErrors("conflict_code", "conflict"))))))

  it.effect("DecodeError: the method, path, status and what is wrong", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      expect(error).toBeInstanceOf(DecodeError)
      expect(error.message).toContain("GET /things/thing_1")
      expect(error.message).toContain("HTTP 200")
      expect(error.message).toContain("not JSON")
    }).pipe(Effect.provide(clientLayer(() => new Response("<html>", { status: 200 })))))

  // a page of 60 things each failing on a field that echoes the key: the Schema's report is long (one union member
  // per line) and every line holds the key
  const Part = Schema.Union(
    ...Array.from(
      { length: 60 },
      (_, i) =>
        Schema.Struct({ kind: Schema.Number, [`part_${i}`]: Schema.String }).annotations({ identifier: `Part${i}` })
    )
  )
  const listParts = Endpoint.make({
    name: "Things.listParts",
    operationId: "ListParts",
    method: "GET",
    path: "/things/{thing_id}/parts",
    success: Part,
    errors: []
  })
  const echoed = { kind: secret }

  it.effect("DecodeError: a long report is cut at a line, says what it left out, and never shows the key", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(listParts, { path: ["thing_1"] }))
      expect(error).toBeInstanceOf(DecodeError)
      const report = ParseResult.TreeFormatter.formatErrorSync(
        Either.getLeft(Schema.decodeUnknownEither(Part)(echoed)).pipe(Option.getOrThrow)
      ).split(secret).join("<redacted>")
      expect(report.length).toBeGreaterThan(2000)
      const [head, ...lines] = error.message.split("\n")
      expect(head).toContain("(GET /things/thing_1/parts): HTTP 200: response does not match the schema: ")
      const kept = [head!.slice(head!.indexOf("schema: ") + "schema: ".length), ...lines.slice(0, -1)]
      // whole lines of the Schema's own report, the key scrubbed, within 2,000 characters
      expect(report.startsWith(kept.join("\n") + "\n")).toBe(true)
      expect(kept.join("\n").length).toBeLessThanOrEqual(2000)
      const left = report.length - kept.join("\n").length
      const leftLines = report.split("\n").length - kept.length
      expect(lines.at(-1)).toBe(`… ${left} more characters (${leftLines} lines) of the report left out`)
      expect(secretParts.some((part) => error.message.includes(part))).toBe(false)
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, echoed)))))

  it.effect("DecodeError: a short report is whole", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
      const report = ParseResult.TreeFormatter.formatErrorSync(
        Either.getLeft(Schema.decodeUnknownEither(getThing.success)({ id: 5 })).pipe(Option.getOrThrow)
      )
      expect(error.message.endsWith(`response does not match the schema: ${report}`)).toBe(true)
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, { id: 5 })))))

  // a 6 KB body nesting 3,000 levels overflowed the stack while the Schema's report printed it (a RangeError defect)
  for (const depth of [3_000, 200_000]) {
    const deep = "[".repeat(depth) + "]".repeat(depth)
    it.effect(`DecodeError for ${depth} nested arrays: the Schema's report, the value cut at 32 levels`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(Exit.isFailure(exit) && !Cause.isDie(exit.cause)).toBe(true)
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(error).toBeInstanceOf(DecodeError)
        const report = ParseResult.TreeFormatter.formatErrorSync(
          Either.getLeft(Schema.decodeUnknownEither(getThing.success)([])).pipe(Option.getOrThrow)
        ).replace("actual []", `actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
        expect(error.message.endsWith(`response does not match the schema: ${report}`)).toBe(true)
      }).pipe(Effect.provide(clientLayer(() => new Response(deep, { status: 200 })))))
    it.effect(`DecodeError for ${depth} nested arrays in a field; a list of them`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] }))
        expect(error.message).toContain(`Expected string, actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
        const listed = yield* Effect.flip(Endpoint.call(listThings, {}))
        expect(listed).toBeInstanceOf(DecodeError)
        expect(listed.message).toContain(`└─ [0]`)
      }).pipe(Effect.provide(clientLayer((request) =>
        new Response(
          request.url.endsWith("/things") ? `[${deep}]` : `{"id":"t","first_name":${deep}}`,
          { status: 200 }
        )
      ))))
  }

  /** A port nothing listens on: bound once, then closed. */
  const closedPort = Effect.promise(() =>
    new Promise<number>((resolve) => {
      const server = Net.createServer().listen(0, "127.0.0.1", () => {
        const address = server.address()
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1))
      })
    })
  )
  const refused = (name: string, http: Layer.Layer<HttpClient.HttpClient>) =>
    it.effect(`TransportError over ${name}: the method, path and the system error (ECONNREFUSED 127.0.0.1:port)`, () =>
      Effect.gen(function*() {
        const port = yield* closedPort
        const live = ClerkClient.layer({ secretKey: Redacted.make(secret), apiUrl: `http://127.0.0.1:${port}` })
        const error = yield* Effect.flip(Endpoint.call(getThing, { path: ["thing_1"] })).pipe(
          Effect.provide(live.pipe(Layer.provide(http)))
        )
        expect(error).toBeInstanceOf(TransportError)
        if (!(error instanceof TransportError)) return
        expect(error.reason).toBe("ConnectError")
        expect(error.message).toContain("Things.get (GET /things/thing_1)")
        expect(error.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`)
        expect(error.message).not.toContain(secret)
      }))
  refused("fetch", FetchHttpClient.layer)
  refused("undici", NodeHttpClient.layerUndici)
  refused("node:http", NodeHttpClient.layer)

  it("`.status` reads on every error of a channel without narrowing", () => {
    const statusOf = (error: NotFound | ClerkInfraError) => error.status
    expectTypeOf(statusOf).returns.toEqualTypeOf<404 | number | undefined>()
    expect(new TransportError({ reason: "Timeout", message: "t", method: "GET", path: "/x" }).status).toBeUndefined()
  })
})
