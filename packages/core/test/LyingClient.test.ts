/**
 * A user's `HttpClient` that breaks its own type (fails with something that is not an `HttpClientError`: a string,
 * `undefined`, an `Error`, an object with a foreign `_tag`) still gives a typed `TransportError`, never a defect, and
 * the key it may carry is scrubbed like any transport failure's.
 */
import { Endpoint, TransportError } from "@effect-clerk/core"
import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { clientLayer, getThing, secret } from "./fixtures.js"

const refuse = (): never => {
  throw new Error("no")
}

const failures: ReadonlyArray<readonly [string, unknown]> = [
  ["undefined", undefined],
  ["null", null],
  ["a string", "boom"],
  ["a string holding the key", `bad key ${secret}`],
  ["a number", 42],
  ["an Error", new Error("socket gone")],
  ["an object with a foreign _tag", { _tag: "SomethingElse", reason: "x" }],
  [
    "an object whose _tag getter throws",
    Object.defineProperty({}, "_tag", { get: refuse })
  ],
  [
    "an HttpClientError look-alike whose _tag getter throws",
    Object.defineProperty({ [HttpClientError.TypeId]: HttpClientError.TypeId }, "_tag", { get: refuse })
  ],
  [
    "an HttpClientError look-alike Proxy whose get trap throws",
    new Proxy({ [HttpClientError.TypeId]: HttpClientError.TypeId }, { get: refuse })
  ]
]

describe("an HttpClient failing with a value that is not an HttpClientError", () => {
  for (const [name, value] of failures) {
    it.effect(`${name}: a RequestError, not a defect`, () =>
      Effect.gen(function*() {
        const exit = yield* Endpoint.call(getThing, { path: ["user_1"] }).pipe(
          Effect.provide(clientLayer(() =>
            // the client lies about its error type on purpose: that is what this test is about
            Effect.fail(value as HttpClientError.HttpClientError)
          )),
          Effect.exit
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit)) return
        expect(exit.cause._tag).toBe("Fail")
        if (exit.cause._tag !== "Fail") return
        const error = exit.cause.error
        expect(error).toBeInstanceOf(TransportError)
        if (!(error instanceof TransportError)) return
        expect(error.reason).toBe("RequestError")
        expect(error.message).toMatch(/not an HttpClientError|threw when read/)
        expect(error.message).not.toContain(secret)
        expect(JSON.stringify(error)).not.toContain(secret)
      }))
  }
})

describe("an HttpClientError whose cause throws when read", () => {
  const hostileCause = Object.defineProperty(new Error("x"), "message", { get: refuse })
  it.effect("a RequestError, not a defect", () =>
    Effect.gen(function*() {
      const error = yield* Endpoint.call(getThing, { path: ["user_1"] }).pipe(
        Effect.provide(clientLayer((request) =>
          Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: hostileCause }))
        )),
        Effect.flip
      )
      expect(error).toBeInstanceOf(TransportError)
      if (!(error instanceof TransportError)) {
        return
      }
      expect(error.reason).toBe("RequestError")
      expect(error.message).toContain("threw when read")
    }))
})
