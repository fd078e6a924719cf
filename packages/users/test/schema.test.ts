/**
 * `wireStruct` (the generated models' one-call struct: camelCase names read from their snake_case wire keys) builds
 * the struct a hand-written `Schema.Struct` with `Schema.fromKey` renames would: the same AST (key order, property
 * signatures, renames, annotations) and the same types, field by field.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Schema from "effect/Schema"
import { Models } from "../src/index.js"
import { openEnum, type Snake, wireStruct } from "../src/internal/schema.js"

/** The path of the first difference between two object graphs (functions compared by source), or `undefined`. */
const difference = (a: unknown, b: unknown, path = "$", seen = new Map<unknown, unknown>()): string | undefined => {
  if (a === b) return undefined
  if (typeof a === "function" && typeof b === "function") return a.toString() === b.toString() ? undefined : path
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path
  if (seen.get(a) === b) return undefined
  seen.set(a, b)
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path} (prototype)`
  const keysA = Reflect.ownKeys(a)
  const keysB = Reflect.ownKeys(b)
  if (keysA.length !== keysB.length || keysA.some((key, i) => key !== keysB[i])) {
    return `${path} (keys ${keysA.map(String).join(",")} vs ${keysB.map(String).join(",")})`
  }
  for (const key of keysA) {
    const inner = difference(
      (a as Record<PropertyKey, unknown>)[key],
      (b as Record<PropertyKey, unknown>)[key],
      `${path}.${String(key)}`,
      seen
    )
    if (inner !== undefined) return inner
  }
  return undefined
}

const generated = wireStruct({
  object: Schema.optional(Schema.Literal("verification_otp")),
  status: openEnum("unverified", "verified"),
  expireAt: Schema.NullOr(Schema.Number),
  channel: Schema.optional(Schema.NullOr(Schema.String)),
  verifiedAtClient: Schema.optional(Schema.NullOr(Schema.String)),
  web3Wallets: Schema.Array(Schema.String)
}, "Sample")

const handWritten = Schema.Struct({
  object: Schema.optional(Schema.Literal("verification_otp")),
  status: openEnum("unverified", "verified"),
  expireAt: Schema.propertySignature(Schema.NullOr(Schema.Number)).pipe(Schema.fromKey("expire_at")),
  channel: Schema.optional(Schema.NullOr(Schema.String)),
  verifiedAtClient: Schema.optional(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("verified_at_client")),
  web3Wallets: Schema.propertySignature(Schema.Array(Schema.String)).pipe(Schema.fromKey("web3_wallets"))
}).annotations({ identifier: "Sample" })

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

describe("wireStruct", () => {
  it("builds the AST of the hand-written struct", () => {
    expect(difference(generated.ast, handWritten.ast)).toBeUndefined()
    // the comparison sees a difference when there is one
    expect(difference(generated.ast, handWritten.annotations({ description: "x" }).ast)).toBeDefined()
    expect(difference(wireStruct({ expireAt: Schema.Number }).ast, Schema.Struct({ expireAt: Schema.Number }).ast))
      .toBeDefined()
  })

  it("has the hand-written struct's types", () => {
    expectTypeOf<Equals<typeof generated, typeof handWritten>>().toEqualTypeOf<true>()
    expectTypeOf<Schema.Schema.Encoded<typeof generated>>().toEqualTypeOf<Schema.Schema.Encoded<typeof handWritten>>()
    expectTypeOf<Snake<"verifiedAtClient">>().toEqualTypeOf<"verified_at_client">()
    expectTypeOf<Snake<"web3Wallets">>().toEqualTypeOf<"web3_wallets">()
  })

  it("decodes wire keys to names, and names a model in the Schema's report", () => {
    const wire = { status: "verified", expire_at: 1, verified_at_client: "x", web3_wallets: [] }
    expect(Schema.decodeUnknownSync(generated)(wire)).toEqual(Schema.decodeUnknownSync(handWritten)(wire))
    expect(Schema.decodeUnknownSync(generated)(wire)).toEqual({
      status: "verified",
      expireAt: 1,
      verifiedAtClient: "x",
      web3Wallets: []
    })
    expect(() => Schema.decodeUnknownSync(Models.IdentificationLink)({ type: 1, id: "x" })).toThrow(
      /IdentificationLink/
    )
  })
})
