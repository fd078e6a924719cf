/**
 * The spans an operation makes: under an installed tracer, the operation's span (`Endpoint.fn`) and one per HTTP
 * request (`ClerkClient.execute`), named, nested and attributed as before; under Effect's native tracer (no tracer
 * installed) or with tracing disabled, none at all.
 */
import { ClerkRetry, Endpoint, NotFound } from "@effect-clerk/core"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import { clientLayer, getThing, jsonResponse, secret } from "./fixtures.js"

const getThingOp = Endpoint.fn("Things.get")((id: string) => Endpoint.call(getThing, { path: [id] }))

/** A tracer that is not Effect's native one: it records every span it makes (made by the native tracer). */
const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = native.span(...args)
      spans.push(span)
      return span
    },
    context: (f, fiber) => native.context(f, fiber)
  })
  return { spans, tracer }
})

/** The span in the fiber's context while the transport runs: what the request would be a child of. */
const observed: Array<Option.Option<string>> = []
const observing = clientLayer((request) =>
  Effect.map(Effect.option(Effect.currentSpan), (span) => {
    observed.push(Option.map(span, (s) => s.name))
    return request.url.endsWith("/things/missing")
      ? jsonResponse(404, { errors: [{ code: "resource_not_found", message: "not found" }] })
      : jsonResponse(200, { id: "thing_1", first_name: "Ada" })
  })
)

/** Effect's native tracer, with `span` wrapped to count: still the same object, so the SDK treats it as native. */
const countingNative = Effect.map(Effect.tracer, (native) => {
  let count = 0
  const original = native.span
  return {
    count: () => count,
    install: Effect.sync(() =>
      Reflect.set(native, "span", (...args: Parameters<Tracer.Tracer["span"]>) => {
        count++
        return original(...args)
      })
    ),
    restore: Effect.sync(() => Reflect.set(native, "span", original))
  }
})

const parentId = (span: Tracer.Span | undefined) =>
  span !== undefined && span.parent._tag === "Some" ? span.parent.value.spanId : undefined

describe("spans under an installed tracer", () => {
  it.effect("the operation's span is the parent of one ClerkClient.execute span, as with Effect.fn", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const thing = yield* getThingOp("thing_1").pipe(Effect.withSpan("app"), Effect.withTracer(tracer))
      expect(thing.firstName).toBe("Ada")
      expect(spans.map((s) => s.name)).toEqual(["app", "Things.get", "ClerkClient.execute"])
      const [app, operation, execute] = spans
      expect(operation?.kind).toBe("internal")
      expect(parentId(operation)).toBe(app?.spanId)
      expect(execute?.kind).toBe("client")
      expect(parentId(execute)).toBe(operation?.spanId)
      expect(Object.fromEntries(execute!.attributes)).toEqual({
        "clerk.operation": "Things.get",
        "http.request.method": "GET",
        "server.address": "clerk.test",
        "url.path": "/things/thing_1",
        "http.response.status_code": 200
      })
      for (const span of spans) expect(span.status._tag).toBe("Ended")
      // the transport ran inside the operation's span (the request span is a leaf, not put in the context)
      expect(observed.at(-1)).toEqual(Option.some("Things.get"))
    }).pipe(Effect.provide(observing)))

  it.effect("a failed operation's span ends with the failure and names where it was called; no key anywhere", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      // called by a fiber that has the tracer (as under a runtime-wide tracer layer)
      const exit = yield* Effect.withTracer(Effect.suspend(() => Effect.exit(getThingOp("missing"))), tracer)
      expect(Exit.isFailure(exit) && Cause.failureOption(exit.cause).pipe(Option.map((e) => e._tag))).toEqual(
        Option.some("NotFound")
      )
      const operation = spans.find((s) => s.name === "Things.get")
      const execute = spans.find((s) => s.name === "ClerkClient.execute")
      expect(execute?.attributes.get("http.response.status_code")).toBe(404)
      const ended = operation?.status._tag === "Ended" ? operation.status.exit : undefined
      expect(ended !== undefined && Exit.isFailure(ended) && Cause.failureOption(ended.cause)).toEqual(
        Option.some(expect.any(NotFound))
      )
      // Effect.fn's `code.stacktrace`: the operation's definition and its call site, both in this file
      const stack = operation?.attributes.get("code.stacktrace")
      expect(typeof stack === "string" && stack.split("\n").filter((l) => l.includes("Spans.test.ts"))).toHaveLength(2)
      // once an operation has run under a tracer, a caller without one (the tracer installed around the call)
      // gets its call site too
      spans.length = 0
      yield* getThingOp("missing").pipe(Effect.exit, Effect.withTracer(tracer))
      const again = spans.find((s) => s.name === "Things.get")?.attributes.get("code.stacktrace")
      expect(typeof again === "string" && again.split("\n").filter((l) => l.includes("Spans.test.ts"))).toHaveLength(2)
      const texts = spans.flatMap((s) => [s.name, ...[...s.attributes].map(([k, v]) => `${k}=${String(v)}`)])
      expect(texts.filter((text) => text.includes(secret) || text.includes(secret.slice(8)))).toEqual([])
    }).pipe(Effect.provide(observing)))

  it.effect("an operation built outside any fiber and run under a tracer still gets its span", () => {
    const built = getThingOp("thing_1")
    return Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* Effect.withTracer(built, tracer)
      expect(spans.map((s) => s.name)).toEqual(["Things.get", "ClerkClient.execute"])
    }).pipe(Effect.provide(observing))
  })

  it.effect("Endpoint.fn: a body that throws is a defect inside the span, like Effect.fn", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const boom = Endpoint.fn("Things.boom")((_: string): Effect.Effect<number> => {
        throw new Error("boom")
      })
      const exit = yield* boom("x").pipe(Effect.exit, Effect.withTracer(tracer))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      expect(spans.map((s) => s.name)).toEqual(["Things.boom"])
    }))
})

const withRetry = ClerkRetry.layer().pipe(Layer.provide(observing))

describe("ClerkRetry's spans", () => {
  it.effect("under a tracer: the operation > ClerkRetry > ClerkRetry.attempt > ClerkClient.execute", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* getThingOp("thing_1").pipe(Effect.withTracer(tracer))
      expect(spans.map((s) => s.name)).toEqual([
        "Things.get",
        "ClerkRetry",
        "ClerkRetry.attempt",
        "ClerkClient.execute"
      ])
      for (let i = 1; i < spans.length; i++) expect(parentId(spans[i])).toBe(spans[i - 1]?.spanId)
      expect(spans[1]?.attributes.get("clerk.retry.attempts")).toBe(1)
      expect(spans[1]?.attributes.get("clerk.retry.stopped")).toBe("final outcome")
      expect(spans[2]?.attributes.get("clerk.retry.attempt")).toBe(1)
      expect(observed.at(-1)).toEqual(Option.some("ClerkRetry.attempt"))
    }).pipe(Effect.provide(withRetry)))

  it.effect("each span ends with the status alone: a response echoing the key never reaches the tracer", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const echo = (found: boolean) =>
        clientLayer((request) =>
          jsonResponse(
            found ? 200 : 404,
            found
              ? { id: "thing_1", first_name: "Ada" }
              : { errors: [{ code: "resource_not_found", message: `you sent ${request.headers["authorization"]}` }] },
            { "x-echo": `${request.headers["authorization"]}` }
          )
        )
      const retried = (found: boolean) => ClerkRetry.layer().pipe(Layer.provide(echo(found)))
      const missing = yield* getThingOp("thing_1").pipe(
        Effect.withTracer(tracer),
        Effect.flip,
        Effect.provide(retried(false))
      )
      expect(missing).toBeInstanceOf(NotFound)
      yield* getThingOp("thing_1").pipe(Effect.withTracer(tracer), Effect.provide(retried(true)))
      const names = ["Things.get", "ClerkRetry", "ClerkRetry.attempt", "ClerkClient.execute"]
      expect(spans.map((s) => s.name)).toEqual([...names, ...names])
      const exits = spans.map((span) => span.status._tag === "Ended" ? span.status.exit : undefined)
      // the transport's spans end with the status; the operation's with its typed (scrubbed) error or value
      expect(exits.slice(1, 4)).toEqual([Exit.succeed(404), Exit.succeed(404), Exit.succeed(404)])
      expect(exits.slice(5, 8)).toEqual([Exit.succeed(200), Exit.succeed(200), Exit.succeed(200)])
      const shown = inspect(spans.map((span) => span.status), { depth: Infinity })
      expect(shown).not.toContain(secret.slice("sk_test_".length))
      expect(shown).toContain("<redacted>")
    }))

  it.effect("under the native tracer: none (the transport runs under no span)", () =>
    Effect.gen(function*() {
      const native = yield* countingNative
      yield* native.install
      yield* getThingOp("thing_1").pipe(Effect.ensuring(native.restore))
      expect(native.count()).toBe(0)
      expect(observed.at(-1)).toEqual(Option.none())
    }).pipe(Effect.provide(withRetry)))
})

describe("no spans without a tracer", () => {
  it.effect("under Effect's native tracer (none installed) neither span is made", () =>
    Effect.gen(function*() {
      const native = yield* countingNative
      yield* native.install
      const thing = yield* getThingOp("thing_1").pipe(Effect.ensuring(native.restore))
      expect(thing.id).toBe("thing_1")
      expect(native.count()).toBe(0)
      expect(observed.at(-1)).toEqual(Option.none())
      // the counter counts: a span made by Effect itself under the same tracer is seen
      yield* native.install
      yield* Effect.void.pipe(Effect.withSpan("counted"), Effect.ensuring(native.restore))
      expect(native.count()).toBe(1)
    }).pipe(Effect.provide(observing)))

  it.effect("under the native tracer, a user's own span stays the transport's parent (no operation span between)", () =>
    Effect.gen(function*() {
      yield* getThingOp("thing_1").pipe(Effect.withSpan("app"))
      expect(observed.at(-1)).toEqual(Option.some("app"))
    }).pipe(Effect.provide(observing)))

  it.effect("with tracing disabled, an installed tracer gets no span", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* getThingOp("thing_1").pipe(Effect.withTracerEnabled(false), Effect.withTracer(tracer))
      expect(spans).toEqual([])
    }).pipe(Effect.provide(observing)))

  it.effect("the request sent carries no trace headers either way", () =>
    Effect.gen(function*() {
      const { tracer } = yield* recordingTracer
      const sent: Array<HttpClientRequest.HttpClientRequest> = []
      const recorded = { requests: sent }
      yield* getThingOp("thing_1").pipe(Effect.withTracer(tracer), Effect.provide(clientLayer(ok, recorded)))
      yield* getThingOp("thing_1").pipe(Effect.provide(clientLayer(ok, recorded)))
      expect(sent).toHaveLength(2)
      for (const request of sent) expect(Object.keys(request.headers).filter((h) => /trace|b3/.test(h))).toEqual([])
    }))
})

const ok = () => jsonResponse(200, { id: "thing_1", first_name: null })
