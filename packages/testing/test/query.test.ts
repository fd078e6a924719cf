/**
 * The emulator reads every query parameter of the 36 operations as Clerk does, table-driven from the spec: integers
 * in digits only, booleans as Go's strconv.ParseBool, arrays as repeated keys, a scalar given twice keeps the first
 * (as Clerk documents for order_by), unknown keys ignored, empty values. A malformed one is Clerk's 400 (or 422 where
 * the operation documents only that) naming the parameter; an accepted one is never refused for that parameter.
 */
import { ClerkError } from "@effect-clerk/core"
import { ClerkEmulator } from "@effect-clerk/testing"
import { UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { loadSpec, type QueryKind, queryParameterKinds } from "../src/internal/validation.js"

const kinds = queryParameterKinds(loadSpec())

const malformed: Record<QueryKind, ReadonlyArray<string>> = {
  integer: ["5.0", "0.0", "1.5", "abc", "1e3", "0x10", "+", " 5", "5 ", "1_000", "99999999999999999999"],
  boolean: ["yes", "2", "tru", "on"],
  string: [],
  array: []
}
const accepted: Record<QueryKind, ReadonlyArray<string>> = {
  integer: ["", "1", "+1", "01"],
  boolean: ["", "true", "false", "1", "0", "TRUE", "F"],
  string: ["", "x"],
  array: ["", "a"]
}

interface Answer {
  readonly status: number
  readonly errors: ReadonlyArray<{ readonly code: string; readonly meta?: { readonly param_name?: string } }>
}

describe("query parameters, as Clerk reads them", () => {
  it.scoped(
    "every parameter of every operation, each malformed form refused and each accepted form taken",
    () =>
      Effect.gen(function*() {
        const e = yield* ClerkEmulator.make({ rateLimit: false })
        const call = (endpoint: (typeof UsersApi.all)[number], query: string) =>
          Effect.flatMap(
            e.handle(
              new Request(`http://x/v1${endpoint.path.replace(/\{[^}]+\}/g, "user_x")}?${query}`, {
                method: endpoint.method,
                headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
                ...(endpoint.method === "GET" || endpoint.method === "DELETE" ? {} : { body: "{}" })
              })
            ),
            (response) =>
              Effect.promise(async (): Promise<Answer> => {
                const body = (await response.json()) as { errors?: Answer["errors"] }
                return { status: response.status, errors: body.errors ?? [] }
              })
          )
        let checked = 0
        for (const endpoint of UsersApi.all) {
          const params = kinds.get(endpoint.operationId) ?? new Map<string, QueryKind>()
          const documented = new Set(endpoint.errors.map((x) => ClerkError.statusOf(x)))
          const refusal = documented.has(400) || !documented.has(422) ? 400 : 422
          for (const [name, kind] of params) {
            const where = `${endpoint.operationId} ${name}`
            const names = (a: Answer) => a.errors.some((x) => x.meta?.param_name === name)
            for (const value of malformed[kind]) {
              const answer = yield* call(endpoint, `${name}=${encodeURIComponent(value)}`)
              expect(answer.status, `${where}=${JSON.stringify(value)}`).toBe(refusal)
              expect(answer.errors[0]?.code).toBe("form_param_format_invalid")
              expect(names(answer), `${where}=${JSON.stringify(value)} names the parameter`).toBe(true)
              checked++
            }
            const good = kind === "integer" && name === "offset" ? ["0", ...accepted.integer] : accepted[kind]
            for (const value of good) {
              const answer = yield* call(endpoint, `${name}=${encodeURIComponent(value)}`)
              expect(answer.status, `${where}=${JSON.stringify(value)}`).not.toBe(500)
              // strings are never malformed as such (a handler may still refuse one by its meaning: an unknown cursor)
              if (kind === "integer" || kind === "boolean") {
                expect(names(answer), `${where}=${JSON.stringify(value)} is accepted`).toBe(false)
              }
            }
            if (kind !== "array") {
              // a scalar given twice keeps the first
              const first = accepted[kind].at(-1)!
              const keptFirst = yield* call(endpoint, `${name}=${first}&${name}=${malformed[kind][0] ?? "x"}`)
              if (kind !== "string") expect(names(keptFirst), `${where} twice, good first`).toBe(false)
              if (malformed[kind].length > 0) {
                const badFirst = yield* call(endpoint, `${name}=${malformed[kind][0]}&${name}=${first}`)
                expect(badFirst.status, `${where} twice, bad first`).toBe(refusal)
              }
            }
          }
          const unknown = yield* call(endpoint, "zzz_not_a_parameter=1&zzz_not_a_parameter=2")
          expect(unknown.status, `${endpoint.operationId} unknown key`).not.toBe(500)
          expect(unknown.errors.some((x) => x.meta?.param_name === "zzz_not_a_parameter")).toBe(false)
        }
        expect(checked).toBeGreaterThan(100)
      }),
    120_000
  )

  it.scoped("repeated keys are an array; limit=5.0 and offset=0.0 are refused where Clerk refuses them", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      yield* e.seed({
        users: [{ emailAddress: ["a@x.co"] }, { emailAddress: ["b@x.co"] }, { emailAddress: ["c@x.co"] }]
      })
      const get = (query: string) =>
        Effect.flatMap(
          e.handle(new Request(`http://x/v1/users?${query}`, { headers: { authorization: `Bearer ${e.secretKey}` } })),
          (r) => Effect.promise(async () => ({ status: r.status, body: (await r.json()) as unknown }))
        )
      const both = yield* get("email_address=a@x.co&email_address=b@x.co")
      expect(
        (both.body as Array<{ email_addresses: Array<{ email_address: string }> }>).map((u) =>
          u.email_addresses[0]?.email_address
        ).sort()
      ).toEqual(["a@x.co", "b@x.co"])
      expect((yield* get("limit=5.0")).status).toBe(400)
      expect((yield* get("offset=0.0")).status).toBe(400)
      expect((yield* get("limit=2")).body).toHaveLength(2)
      expect((yield* get("limit=2&limit=1")).body).toHaveLength(2)
    }))
})
