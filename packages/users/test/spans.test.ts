/**
 * Every one of the 36 operations is a span named `Users.<operation>` (the parent of its request's
 * `ClerkClient.execute` span) under an installed tracer, and makes no span under Effect's native tracer.
 */
import { ClerkClient } from "@effect-clerk/core"
import { Users } from "@effect-clerk/users"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"

/** Every request is answered 404; the span in the transport's context is recorded. */
const inTransport: Array<Option.Option<string>> = []
const notFound = ClerkClient.layer({ secretKey: Redacted.make("sk_test_spans"), apiUrl: "https://clerk.test" }).pipe(
  Layer.provide(Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.map(Effect.option(Effect.currentSpan), (span) => {
        inTransport.push(Option.map(span, (s) => s.name))
        return HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify({ errors: [{ code: "resource_not_found", message: "not found" }] }), {
            status: 404,
            headers: { "content-type": "application/json" }
          })
        )
      })
    )
  ))
)

/** The operations (streams are built on them), each called with ids and an empty params object where it takes one. */
type Operation = () => Effect.Effect<unknown, unknown, ClerkClient>
const operations = Object.entries(Users).flatMap(([name, value]): Array<{ name: string; run: Operation }> =>
  typeof value === "function" && !name.startsWith("stream")
    ? [{ name, run: () => Reflect.apply(value, Users, ["user_1", "id_2", {}]) }]
    : []
)
const call = (run: Operation) => Effect.exit(run())

describe("the operations' spans", () => {
  it("finds the 36 operations", () => {
    expect(operations).toHaveLength(36)
  })

  it.effect("under an installed tracer each one is `Users.<name>`, the parent of its request's span", () =>
    Effect.gen(function*() {
      const native = yield* Effect.tracer
      for (const { name, run } of operations) {
        const spans: Array<Tracer.Span> = []
        const tracer = Tracer.make({
          span: (...args) => {
            const span = native.span(...args)
            spans.push(span)
            return span
          },
          context: (f, fiber) => native.context(f, fiber)
        })
        yield* Effect.withTracer(call(run), tracer)
        const operation = spans[0]
        expect(operation?.name).toBe(`Users.${name}`)
        expect(operation?.parent).toEqual(Option.none())
        // the request's span (when one was sent: malformed params are refused before) is the operation's child
        for (const span of spans.slice(1)) {
          expect(span.name).toBe("ClerkClient.execute")
          expect(span.parent._tag === "Some" && span.parent.value.spanId).toBe(operation?.spanId)
        }
      }
    }).pipe(Effect.provide(notFound)))

  it.effect("under Effect's native tracer none is made: the transport runs under no span", () =>
    Effect.gen(function*() {
      inTransport.length = 0
      for (const { run } of operations) yield* call(run)
      expect(inTransport.length).toBeGreaterThan(15)
      expect(inTransport.filter(Option.isSome)).toEqual([])
    }).pipe(Effect.provide(notFound)))
})
