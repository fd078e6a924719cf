/**
 * The emulator reads every query parameter of the 36 operations as Clerk does, table-driven from the spec: integers
 * in digits only, booleans as Go's strconv.ParseBool, arrays as repeated keys, a scalar given twice keeps the first
 * (as Clerk documents for order_by), unknown keys ignored, empty values. A malformed one is Clerk's 400 (or 422 where
 * the operation documents only that) naming the parameter; an accepted one is never refused for that parameter.
 */
import { ClerkClient, ClerkError } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { type Params, Users, UsersApi } from "@effect-clerk/users"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
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

  // openapi-backend's own request parsing (qs) turns more than 20 repeated keys into an object `{ "0": …, "20": … }`
  // (qs's arrayLimit), which its validation then refuses as "must be array"; the emulator reads the query itself
  // (readQuery), so every value is used up to Clerk's documented 100, in-process and over HTTP alike
  it.live(
    "repeated keys of every array filter (up to 100 values): the same users over HTTP and in-process",
    () =>
      Effect.scoped(Effect.gen(function*() {
        const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false, validateResponses: true } })
        const e = server.emulator
        const n = 100
        const pad = (i: number) => String(i).padStart(3, "0")
        const { users } = yield* e.seed({
          users: Array.from({ length: n }, (_, i) => ({
            emailAddress: [`u${pad(i)}@x.co`],
            phoneNumber: [`+1555000${String(i).padStart(4, "0")}`],
            username: `user${pad(i)}`,
            externalId: `ext${pad(i)}`,
            web3Wallet: [`0x${pad(i).padStart(40, "0")}`]
          }))
        })
        const ids = users.map((u) => u.id)
        const every = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i))
        // the odd users by each identifier (50 of them, past qs's 20), plus ones no user has
        const odd = (f: (i: number) => string) => [...every(f).filter((_, i) => i % 2 === 1), "nobody"]
        const queries: ReadonlyArray<Params.ListQuery> = [
          { emailAddress: odd((i) => `u${pad(i)}@x.co`) },
          { phoneNumber: odd((i) => `+1555000${String(i).padStart(4, "0")}`) },
          { username: odd((i) => `user${pad(i)}`) },
          { externalId: odd((i) => `ext${pad(i)}`) },
          { web3Wallet: odd((i) => `0x${pad(i).padStart(40, "0")}`) },
          { userId: odd((i) => ids[i]!) },
          { userId: every((i) => (i % 2 === 1 ? `+${ids[i]!}` : `-${ids[i]!}`)) },
          {
            emailAddress: every((i) => `u${pad(i)}@x.co`),
            userId: every((i) => (i % 2 === 0 ? `-${ids[i]!}` : ids[i]!))
          }
        ]
        const expected = ids.filter((_, i) => i % 2 === 1).sort()
        const sdk = (http: Layer.Layer<HttpClient.HttpClient>) =>
          ClerkClient.layer({ secretKey: Redacted.make(server.secretKey), apiUrl: server.url }).pipe(
            Layer.provide(http)
          )
        const inProcess = sdk(Layer.succeed(HttpClient.HttpClient, ClerkTest.httpClient(e)))
        const overHttp = sdk(FetchHttpClient.layer)
        for (const query of queries) {
          const where = Object.keys(query).join("+")
          const search = new URLSearchParams()
          for (const [key, values] of Object.entries(query)) {
            const wire = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
            for (const v of values as ReadonlyArray<string>) search.append(wire, v)
          }
          search.append("limit", "500")
          const raw = (path: string) => {
            const init = { headers: { authorization: `Bearer ${server.secretKey}` } }
            return Effect.all([
              Effect.promise(() => fetch(`${server.url}/v1${path}?${search}`, init).then((r) => r.json())),
              Effect.flatMap(
                e.handle(new Request(`http://clerk.emulator.local/v1${path}?${search}`, init)),
                (r) => Effect.promise(() => r.json())
              )
            ])
          }
          const [httpList, webList] = yield* raw("/users")
          const idsOf = (list: unknown) => (list as Array<{ id: string }>).map((u) => u.id).sort()
          expect(idsOf(httpList), `${where} over HTTP`).toEqual(expected)
          expect(idsOf(webList), `${where} through handle`).toEqual(expected)
          const [httpCount, webCount] = yield* raw("/users/count")
          expect(httpCount, `${where} count over HTTP`).toEqual({ object: "total_count", total_count: expected.length })
          expect(webCount, `${where} count through handle`).toEqual(httpCount)
          for (const layer of [inProcess, overHttp]) {
            const listed = yield* Users.list({ ...query, limit: 500 }).pipe(Effect.provide(layer))
            expect(listed.map((u) => u.id).sort(), `${where} by the SDK`).toEqual(expected)
            expect(yield* Users.count(query).pipe(Effect.provide(layer)), `${where} counted by the SDK`).toBe(50)
          }
        }
      })),
    60_000
  )

  // Clerk's spec documents "Accepts up to 100 …" on the array filters of list and count; past it Clerk answers its
  // FormParameterArraySizeExceeded (422 form_param_array_size_exceeded, "<param> should not exceed N items.")
  it.scoped("each array filter the spec bounds (\"Accepts up to N\") takes N values and refuses N + 1 with Clerk's 422", () =>
    Effect.gen(function*() {
      const bounded: Array<readonly [operationId: string, name: string, max: number]> = []
      const spec = loadSpec() as {
        paths: Record<string, Record<string, { operationId?: string; parameters?: ReadonlyArray<unknown> }>>
      }
      const ours = new Set(UsersApi.all.map((endpoint) => endpoint.operationId))
      for (const item of Object.values(spec.paths)) {
        for (const operation of Object.values(item)) {
          if (operation.operationId === undefined || !ours.has(operation.operationId)) continue
          for (
            const p of (operation.parameters ?? []) as ReadonlyArray<
              { name: string; in: string; description?: string; schema?: { type?: string } }
            >
          ) {
            const max = /Accepts up to (\d+)/.exec(p.description ?? "")?.[1]
            if (p.in === "query" && p.schema?.type === "array" && max !== undefined) {
              bounded.push([operation.operationId, p.name, Number(max)])
            }
          }
        }
      }
      expect(bounded.map(([op, name]) => `${op} ${name}`)).toContain("GetUserList email_address")
      expect(bounded.length).toBeGreaterThanOrEqual(16)
      for (const validateRequests of [true, false]) {
        const e = yield* ClerkEmulator.make({ rateLimit: false, validateRequests })
        const call = (operationId: string, name: string, n: number) => {
          const endpoint = UsersApi.all.find((x) => x.operationId === operationId)!
          const search = new URLSearchParams(Array.from({ length: n }, (_, i) => [name, `v${i}`]))
          return Effect.flatMap(
            e.handle(
              new Request(`http://x/v1${endpoint.path}?${search}`, {
                headers: { authorization: `Bearer ${e.secretKey}` }
              })
            ),
            (response) =>
              Effect.promise(async () => ({
                status: response.status,
                body: (await response.json()) as {
                  errors?: ReadonlyArray<{ code: string; long_message: string; meta?: { param_name?: string } }>
                }
              }))
          )
        }
        for (const [operationId, name, max] of bounded) {
          const where = `${operationId} ${name} (validateRequests: ${validateRequests})`
          expect((yield* call(operationId, name, max)).status, `${where}: ${max} values`).toBe(200)
          const over = yield* call(operationId, name, max + 1)
          expect(over.status, `${where}: ${max + 1} values`).toBe(422)
          expect(over.body.errors, where).toEqual([{
            code: "form_param_array_size_exceeded",
            message: "exceeds maximum size",
            long_message: `${name} should not exceed ${max} items.`,
            meta: { param_name: name }
          }])
        }
      }
    }))

  it.effect("the SDK's Users.list and Users.count with 101 emails: Clerk's 422 as UnprocessableEntity", () =>
    Effect.gen(function*() {
      const emails = Array.from({ length: 101 }, (_, i) => `u${i}@x.co`)
      const listed = yield* Effect.flip(Users.list({ emailAddress: emails }))
      expect(listed._tag).toBe("UnprocessableEntity")
      const counted = yield* Effect.flip(Users.count({ emailAddress: emails }))
      expect(counted._tag === "UnprocessableEntity" && counted.errors[0]?.code).toBe("form_param_array_size_exceeded")
      expect(yield* Users.count({ emailAddress: emails.slice(1) })).toBe(0)
    }).pipe(Effect.provide(ClerkTest.layer)))
})

// Clerk reads an integer parameter with Go's strconv.ParseInt(value, 10, 64): any number of digits within int64
describe("integer query parameters at their boundaries", () => {
  const inRange = [
    "0",
    "-1",
    "007",
    "+1",
    "8640000000000000",
    "9007199254740991",
    "9007199254740992",
    "9223372036854775807",
    "-9223372036854775808",
    "0000000000000000000000000042"
  ]
  const outOfRange = ["9223372036854775808", "-9223372036854775809", "99999999999999999999", "1".repeat(400)]

  it.scoped("every integer parameter reads any int64 in digits; past int64 is a 400 that names the range", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      let checked = 0
      for (const endpoint of UsersApi.all) {
        const documented = new Set(endpoint.errors.map((x) => ClerkError.statusOf(x)))
        const refusal = documented.has(400) || !documented.has(422) ? 400 : 422
        for (const [name, kind] of kinds.get(endpoint.operationId) ?? new Map<string, QueryKind>()) {
          if (kind !== "integer") continue
          const call = (value: string) =>
            Effect.flatMap(
              e.handle(
                new Request(
                  `http://x/v1${endpoint.path.replace(/\{[^}]+\}/g, "user_x")}?${name}=${encodeURIComponent(value)}`,
                  {
                    method: endpoint.method,
                    headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
                    ...(endpoint.method === "GET" || endpoint.method === "DELETE" ? {} : { body: "{}" })
                  }
                )
              ),
              (response) =>
                Effect.promise(async () => ({
                  status: response.status,
                  errors: ((await response.json()) as {
                    errors?: ReadonlyArray<{ code: string; long_message: string; meta?: { param_name?: string } }>
                  }).errors ?? []
                }))
            )
          for (const value of inRange) {
            const where = `${endpoint.operationId} ${name}=${value}`
            const answer = yield* call(value)
            expect(answer.status, where).not.toBe(500)
            // read as a number: a field's own bounds (limit 1..500, offset 0 or more) may still refuse it
            for (const error of answer.errors.filter((x) => x.meta?.param_name === name)) {
              expect(error.long_message, where).not.toMatch(/digits|int64/)
            }
            checked++
          }
          for (const value of outOfRange) {
            const where = `${endpoint.operationId} ${name}=${value.slice(0, 30)}`
            const answer = yield* call(value)
            expect(answer.status, where).toBe(refusal)
            expect(answer.errors, where).toHaveLength(1)
            expect(answer.errors[0]?.meta?.param_name, where).toBe(name)
            expect(answer.errors[0]?.long_message, where).toContain(
              "must be an integer from -9223372036854775808 to 9223372036854775807"
            )
            expect(answer.errors[0]?.long_message.length, where).toBeLessThan(200)
          }
        }
      }
      expect(checked).toBeGreaterThan(100)
    }))

  it.scoped("the time filters and offset answer with the exact value's meaning, past 2^53 too", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator.make({ rateLimit: false })
      yield* e.seed({ users: [{ emailAddress: ["a@x.co"] }, { emailAddress: ["b@x.co"] }] })
      const count = (query: string) =>
        Effect.flatMap(
          e.handle(new Request(`http://x/v1/users?${query}`, { headers: { authorization: `Bearer ${e.secretKey}` } })),
          (r) =>
            Effect.promise(async () => {
              const body = (await r.json()) as unknown
              return Array.isArray(body) ? body.length : `${r.status} ${JSON.stringify(body)}`
            })
        )
      expect(yield* count("created_at_before=8640000000000000")).toBe(2)
      expect(yield* count("created_at_before=9223372036854775807")).toBe(2)
      expect(yield* count("created_at_after=9223372036854775807")).toBe(0)
      expect(yield* count("created_at_after=9007199254740992")).toBe(0)
      expect(yield* count("created_at_before=-9223372036854775808")).toBe(0)
      expect(yield* count("created_at_after=-9223372036854775808")).toBe(2)
      expect(yield* count("created_at_before=0")).toBe(0)
      expect(yield* count("last_active_at_since=-1")).toBe(0)
      expect(yield* count("offset=9223372036854775807")).toBe(0)
      expect(yield* count("offset=%2B1")).toBe(1)
      expect(yield* count("limit=001")).toBe(1)
      expect(yield* count("limit=9223372036854775807")).toMatch(/^400 .*limit/)
      expect(yield* count("limit=0")).toMatch(/^400 .*limit/)
      expect(yield* count("offset=-1")).toMatch(/^400 .*offset/)
    }))

  it.effect("Users.list({ createdAtBefore: new Date(8.64e15) }), the latest time a Date holds, lists every user", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      yield* e.seed({ users: [{ emailAddress: ["a@x.co"] }] })
      expect(yield* Users.list({ createdAtBefore: new Date(8.64e15) })).toHaveLength(1)
      expect(yield* Users.list({ createdAtAfter: new Date(-8.64e15) })).toHaveLength(1)
      expect(yield* Users.count({ lastActiveAtSince: Number.MAX_SAFE_INTEGER })).toBe(0)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})
