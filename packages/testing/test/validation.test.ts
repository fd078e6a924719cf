/**
 * The spec validation is real: a response that does not match Clerk's spec is caught (and, in the emulator, is a
 * loud defect), and so is a request.
 */
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Models, Users, UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import * as fs from "node:fs"
import { parse } from "yaml"
import { loadSpec, makeValidator, queryParameterKinds, specUrl } from "../src/internal/validation.js"

/** Every path to a value nested in a JSON value (objects and arrays), up to 8 levels. */
const nestedPaths = (value: unknown, depth = 0): Array<ReadonlyArray<string>> => {
  if (typeof value !== "object" || value === null || depth > 8) return []
  return Object.entries(value).flatMap(([key, child]) => [
    [key],
    ...nestedPaths(child, depth + 1).map((path) => [key, ...path])
  ])
}

/** A copy of a JSON value with the value at `path` replaced, or removed when `value` is `undefined`. */
const changedAt = (root: unknown, path: ReadonlyArray<string>, value: unknown): unknown => {
  const copy: unknown = structuredClone(root)
  const isNode = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null
  let node: unknown = copy
  for (const key of path.slice(0, -1)) node = isNode(node) ? node[key] : undefined
  const last = path.at(-1)
  if (!isNode(node) || last === undefined) return copy
  if (Array.isArray(node) && value === undefined) node.splice(Number(last), 1)
  else if (value === undefined) delete node[last]
  else node[last] = value
  return copy
}

describe("spec validation", () => {
  it("the vendored spec reads the same with js-yaml (what the emulator parses it with) as with the yaml package", () => {
    expect(loadSpec()).toStrictEqual(parse(fs.readFileSync(specUrl, "utf8")))
  })

  it.effect("the validator accepts the emulator's user and refuses broken ones", () =>
    Effect.gen(function*() {
      const validator = yield* Effect.promise(() => makeValidator(UsersApi.all.map((e) => e.operationId)))
      const e = yield* ClerkEmulator
      const { users } = yield* e.seed({ users: [{ emailAddress: ["v@x.co"], passkeys: [{ name: "k" }] }] })
      const response = yield* e.handle(
        new Request(`http://x/v1/users/${users[0]!.id}`, { headers: { authorization: `Bearer ${e.secretKey}` } })
      )
      const wire = (yield* Effect.promise(() => response.json())) as Record<string, unknown>
      expect(validator.validateResponse("GetUser", 200, wire)).toEqual([])
      const { id: _id, ...noId } = wire
      expect(validator.validateResponse("GetUser", 200, noId).length).toBeGreaterThan(0)
      expect(validator.validateResponse("GetUser", 200, { ...wire, banned: "no" }).length).toBeGreaterThan(0)
      expect(validator.validateResponse("GetUser", 200, { ...wire, surprise: 1 }).length).toBeGreaterThan(0)
      expect(validator.validateResponse("GetUser", 404, { errors: [{ code: "x" }] }).length).toBeGreaterThan(0)
      expect(
        validator.validateRequest({
          operationId: "GetUserList",
          method: "GET",
          path: "/v1/users",
          pathParams: [],
          query: "limit=abc",
          queryRecord: { limit: "abc" },
          headers: {},
          body: undefined
        })
      ).toHaveLength(1)
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))

  it.effect("responses are judged exactly as openapi-backend judges them (same issues, in order), per status", () =>
    Effect.gen(function*() {
      const validator = yield* Effect.promise(() => makeValidator(UsersApi.all.map((e) => e.operationId)))
      const e = yield* ClerkEmulator
      const { users } = yield* e.seed({
        users: [{ emailAddress: ["v@x.co"], phoneNumber: ["+15555550100"], passkeys: [{ name: "k" }] }]
      })
      const auth = { authorization: `Bearer ${e.secretKey}` }
      const real = yield* Effect.forEach(
        [`/v1/users/${users[0]!.id}`, "/v1/users?limit=5", "/v1/users/count", "/v1/users/user_missing"],
        (path) =>
          Effect.flatMap(
            e.handle(new Request(`http://x${path}`, { headers: auth })),
            (response) => Effect.promise(async (): Promise<unknown> => response.json())
          )
      )
      const operations = ["GetUser", "GetUserList", "GetUsersCount", "CreateUser", "DeleteUser", "UpdateUser"]
      const statuses = [200, 204, 400, 401, 404, 422, 429, 500, 302]
      // real bodies, each with a field broken, removed or added, and arbitrary JSON
      const mutated = (body: unknown) => {
        const record: object = typeof body === "object" && body !== null ? body : { body }
        const keys = Object.keys(record)
        // and deep inside (a verification, an identifier, metadata): where the spec's oneOf/anyOf choose
        const paths = nestedPaths(record)
        return fc.oneof(
          fc.constant(body),
          fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([key, value]) => ({ ...record, [key]: value })),
          fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
          fc.tuple(fc.constantFrom(...paths), fc.option(fc.jsonValue(), { nil: undefined })).map(([path, value]) =>
            changedAt(record, path, value)
          )
        )
      }
      fc.assert(
        fc.property(
          fc.constantFrom(...operations),
          fc.constantFrom(...statuses),
          fc.oneof(fc.jsonValue(), ...real.map(mutated)),
          (operationId, status, body) => {
            expect(validator.validateResponse(operationId, status, body)).toEqual(
              validator.libraryValidateResponse(operationId, status, body)
            )
          }
        ),
        { numRuns: 400 }
      )
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))

  it.effect("requests are judged exactly as openapi-backend judges them from the raw path and query string", () =>
    Effect.gen(function*() {
      const validator = yield* Effect.promise(() => makeValidator(UsersApi.all.map((e) => e.operationId)))
      const kinds = queryParameterKinds(loadSpec())
      const value = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("0", "10", "-3", "true", "false", "+"))
      const request = fc.constantFrom(...UsersApi.all).chain((endpoint) => {
        const names = endpoint.path.match(/\{[^}]+\}/g) ?? []
        const params = [...(kinds.get(endpoint.operationId) ?? new Map())]
        const record = fc.subarray(params).chain((chosen) =>
          fc.tuple(
            ...chosen.map(([name, kind]) =>
              (kind === "array" ? fc.oneof(fc.array(value, { minLength: 1, maxLength: 3 }), value) : value).map((v) =>
                [name, v] as const
              )
            )
          )
        )
        return fc.record({
          endpoint: fc.constant(endpoint),
          ids: fc.tuple(...names.map(() => fc.string({ minLength: 1, maxLength: 8 }))),
          record,
          body: fc.oneof(
            fc.constant(undefined),
            fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue()),
            fc.array(fc.jsonValue())
          ),
          json: fc.boolean()
        })
      })
      fc.assert(
        fc.property(request, ({ body, endpoint, ids, json, record }) => {
          const queryRecord = Object.fromEntries(record)
          const search = new URLSearchParams()
          for (const [name, v] of record) for (const one of Array.isArray(v) ? v : [v]) search.append(name, one)
          let i = 0
          const path = `/v1${endpoint.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[i++] ?? ""))}`
          const input = {
            operationId: endpoint.operationId,
            method: endpoint.method,
            path,
            pathParams: ids,
            query: search.toString(),
            queryRecord,
            headers: json ? { "content-type": "application/json; charset=utf-8" } : {},
            body
          }
          expect(validator.validateRequest(input)).toEqual(validator.libraryValidateRequest(input))
        }),
        { numRuns: 500 }
      )
    }))

  // openapi-backend's own `validateRequest` parses the query with qs, whose arrayLimit (20) makes 21 repeated keys an
  // object, refused as "must be array": the property test above stays under 20 values, and the emulator's check is
  // fed the array readQuery made
  it.effect("an array parameter repeated past 20 times (up to Clerk's 100) is an array, not an issue", () =>
    Effect.gen(function*() {
      const validator = yield* Effect.promise(() => makeValidator(UsersApi.all.map((e) => e.operationId)))
      for (const n of [21, 100]) {
        const values = Array.from({ length: n }, (_, i) => `u${i}@x.co`)
        const search = new URLSearchParams(values.map((v) => ["email_address", v]))
        const input = {
          operationId: "GetUserList",
          method: "GET",
          path: "/v1/users",
          pathParams: [],
          query: search.toString(),
          queryRecord: { email_address: values },
          headers: {},
          body: undefined
        }
        expect(validator.validateRequest(input)).toEqual([])
        // (the same check does judge the query: a limit that is no integer is an issue)
        expect(validator.validateRequest({ ...input, queryRecord: { email_address: values, limit: "x" } }))
          .not.toEqual([])
      }
    }))

  it.effect("a response that breaks the spec is a defect that fails the test, not a silent pass", () =>
    Effect.gen(function*() {
      const e = yield* ClerkEmulator
      yield* e.seed({ users: [{ emailAddress: ["v@x.co"], subscription: true }] })
      const snapshot = yield* e.snapshot
      // a state the snapshot's schema takes but Clerk's spec does not: the SDK's models keep enums open (a status
      // Clerk adds later still decodes), the spec lists the statuses it has
      const users = snapshot.state.users.map((u) => ({
        ...u,
        subscription: u.subscription === null
          ? null
          : Schema.decodeUnknownSync(Schema.typeSchema(Models.CommerceSubscription))({
            ...u.subscription,
            status: "not_a_status"
          })
      }))
      yield* e.restore({ ...snapshot, state: { ...snapshot.state, users } })
      const exit = yield* Effect.exit(Users.getBillingSubscription(users[0]!.id))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("does not match Clerk's spec")
    }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
})
