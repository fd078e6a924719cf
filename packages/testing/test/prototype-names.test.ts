/**
 * Client text that names a property of `Object.prototype` (`__proto__`, `constructor`, `toString`, ...) is an
 * unknown value like any other: never a 500 over HTTP, never a defect in-process.
 */
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false } })

const prototypeNames = Object.getOwnPropertyNames(Object.prototype)
const orderBys = prototypeNames.flatMap((name) => [name, `-${name}`, `+${name}`])

const twoUsers = { users: [{ emailAddress: ["a@example.com"] }, { emailAddress: ["b@example.com"] }] }

describe("prototype-named client values", () => {
  it.effect("order_by naming a prototype property is Users.list's and Users.stream's typed 422", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      yield* e.seed(twoUsers)
      expect(prototypeNames).toContain("__proto__")
      for (const orderBy of orderBys) {
        const error = yield* Effect.flip(Users.list({ orderBy, limit: 1 }))
        expect(error._tag, orderBy).toBe("UnprocessableEntity")
        const streamed = yield* Effect.flip(Stream.runCollect(Users.stream({ orderBy })))
        expect(streamed._tag, orderBy).toBe("UnprocessableEntity")
      }
      // the same answer as for any unknown field
      expect((yield* Effect.flip(Users.list({ orderBy: "nope" })))._tag).toBe("UnprocessableEntity")
    }).pipe(Effect.provide(NoLimits)))

  it.live("over HTTP: GET /v1/users?order_by=<prototype name> answers 422 form_param_value_invalid", () =>
    Effect.scoped(Effect.gen(function*() {
      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      yield* server.emulator.seed(twoUsers)
      const get = (query: string) =>
        Effect.promise(() =>
          fetch(`${server.url}/v1/users?${query}`, { headers: { authorization: `Bearer ${server.secretKey}` } })
            .then(async (r) => ({ status: r.status, body: await r.json() as { errors: Array<{ code: string }> } }))
        )
      const unknown = yield* get("order_by=nope")
      expect(unknown.status).toBe(422)
      for (const orderBy of orderBys) {
        for (
          const query of [`order_by=${encodeURIComponent(orderBy)}`, `order_by=${encodeURIComponent(orderBy)}&limit=1`]
        ) {
          const answer = yield* get(query)
          expect(answer.status, query).toBe(422)
          expect(answer.body.errors[0]?.code, query).toBe(unknown.body.errors[0]?.code)
        }
      }
    })))
})
