/**
 * Our description of the API (UsersApi) against Clerk's published spec and the contract table: a drift in a path,
 * a method, a parameter, a body field or a documented status fails here.
 */
import { ClerkError, Endpoint } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { UsersApi } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as fs from "node:fs"
import { parse } from "yaml"
import { contract } from "./contract.js"

type Node = { readonly [key: string]: unknown }
const isNode = (u: unknown): u is Node => typeof u === "object" && u !== null && !Array.isArray(u)
const spec: unknown = parse(
  fs.readFileSync(new URL("../../testing/spec/clerk-bapi-2026-05-12.yml", import.meta.url), "utf8")
)
const at = (node: unknown, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((n, k) => (isNode(n) ? n[k] : undefined), node)
const deref = (node: unknown): unknown => {
  const ref = at(node, "$ref")
  return typeof ref === "string" ? at(spec, ...ref.replace(/^#\//, "").split("/")) : node
}

const specOperation = (operationId: string) => {
  for (const [path, item] of Object.entries(isNode(at(spec, "paths")) ? (at(spec, "paths") as Node) : {})) {
    for (const [method, op] of Object.entries(isNode(item) ? item : {})) {
      if (at(op, "operationId") === operationId) return { path, method: method.toUpperCase(), op, item }
    }
  }
  return undefined
}

/** The wire (encoded) property names of a struct schema. */
const wireKeys = (schema: Schema.Schema.AnyNoContext): Array<string> => {
  const encoded = AST.encodedAST(schema.ast)
  return AST.getPropertySignatures(encoded).map((p) => String(p.name)).sort()
}

describe("UsersApi agrees with Clerk's spec", () => {
  it("has exactly the 36 operations of the contract, named as there", () => {
    expect(UsersApi.all.map((e) => e.name).sort()).toEqual(contract.map(([name]) => `Users.${name}`).sort())
    expect(new Set(UsersApi.all.map((e) => e.operationId)).size).toBe(36)
  })

  for (const [name, method, path, operationId, statuses] of contract) {
    it(`${name}: ${method} ${path}`, () => {
      const endpoint = UsersApi.all.find((e) => e.name === `Users.${name}`)!
      const fromSpec = specOperation(operationId)
      expect(fromSpec, `operation ${operationId} in the spec`).toBeDefined()
      if (fromSpec === undefined) return
      // path and method
      expect(endpoint.operationId).toBe(operationId)
      expect(endpoint.method).toBe(method)
      expect(endpoint.path).toBe(path)
      expect(`${fromSpec.method} ${fromSpec.path}`).toBe(`${method} ${path}`)
      // parameters: path ids and query names
      const parameters = [
        ...(Array.isArray(at(fromSpec.item, "parameters")) ? (at(fromSpec.item, "parameters") as Array<unknown>) : []),
        ...(Array.isArray(at(fromSpec.op, "parameters")) ? (at(fromSpec.op, "parameters") as Array<unknown>) : [])
      ].map(deref)
      const named = (where: string) =>
        parameters.filter((p) => at(p, "in") === where).map((p) => String(at(p, "name"))).sort()
      expect([...endpoint.pathParams].sort()).toEqual(named("path"))
      expect(endpoint.query === undefined ? [] : wireKeys(endpoint.query)).toEqual(named("query"))
      // body: JSON properties, or multipart
      const content = at(fromSpec.op, "requestBody", "content")
      const jsonBody = deref(at(content, "application/json", "schema"))
      if (endpoint.body._tag === "Json") {
        expect(wireKeys(endpoint.body.schema)).toEqual(Object.keys(at(jsonBody, "properties") as Node).sort())
      } else if (endpoint.body._tag === "Multipart") {
        expect(Object.keys(isNode(content) ? content : {})).toContain("multipart/form-data")
      } else {
        expect(jsonBody).toBeUndefined()
      }
      // documented statuses: exactly the contract's, which include every error status the spec documents
      const ours = endpoint.errors.map((e) => ClerkError.statusOf(e)).sort()
      expect(ours).toEqual([...statuses].sort())
      const documentedBySpec = Object.keys(at(fromSpec.op, "responses") as Node)
        .filter((code) => /^[45]\d\d$/.test(code) && code !== "429")
        .map(Number)
      for (const status of documentedBySpec) expect(ours, `spec documents ${status}`).toContain(status)
    })
  }
})

describe("every documented error of every operation, through the emulator", () => {
  // Statuses the emulator's semantics produce are tested in operations.test.ts; here each documented status is
  // injected, so every one is answered in Clerk's envelope, validated against the spec's response for that status
  // (the emulator checks every answer in tests), and arrives as its tagged error.
  const tags: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    402: "PaymentRequired",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    500: "InternalServerError"
  }
  const inputs: Record<string, Endpoint.Input<Endpoint.AnySchema, Endpoint.AnySchema>> = {
    create: { body: {} },
    update: { path: ["user_1"], body: {} },
    bulkBan: { body: { userIds: ["user_1"] } },
    bulkUnban: { body: { userIds: ["user_1"] } },
    updateMetadata: { path: ["user_1"], body: {} },
    replaceMetadata: { path: ["user_1"], body: {} },
    adjustBillingCreditBalance: { path: ["user_1"], body: { amount: 1, action: "increase", idempotencyKey: "k" } },
    verifyPassword: { path: ["user_1"], body: { password: "x" } },
    verifyTotp: { path: ["user_1"], body: { code: "123456" } },
    setPasswordCompromised: { path: ["user_1"], body: {} },
    removePassword: { path: ["user_1"], body: {} }
  }
  for (const endpoint of UsersApi.all) {
    const name = endpoint.name.replace("Users.", "")
    it.effect(`${endpoint.name}: ${endpoint.errors.map((e) => ClerkError.statusOf(e)).join(", ")}, 429`, () =>
      Effect.gen(function*() {
        const emulator = yield* ClerkEmulator
        const statuses = [...endpoint.errors.map((e) => ClerkError.statusOf(e)), 429]
        const input = inputs[name] ?? {
          path: endpoint.pathParams.map((_, i) => (i === 0 ? "user_1" : "oauth_google")),
          ...(endpoint.body._tag === "Multipart" ? { formData: new FormData() } : {})
        }
        for (const status of statuses) {
          yield* emulator.injectFault({ operation: endpoint.name, action: { _tag: "Status", status }, times: 1 })
          const error = yield* Effect.flip(Endpoint.call(endpoint, input))
          expect(error._tag, `${endpoint.name} ${status}`).toBe(tags[status])
        }
      }).pipe(Effect.provide(ClerkTest.layerWith({ emulator: { rateLimit: false } }))))
  }
})
