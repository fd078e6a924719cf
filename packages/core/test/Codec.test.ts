import { Codec } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { compile, miss } from "../src/internal/compile.js"
import { compileEncoder } from "../src/internal/encode.js"

const Verification = Schema.Union(
  Schema.Struct({ object: Schema.Literal("otp"), attempts: Schema.NullOr(Schema.Number) }),
  Schema.Struct({
    object: Schema.Literal("admin"),
    expireAt: Schema.propertySignature(Schema.NullOr(Schema.Number)).pipe(Schema.fromKey("expire_at"))
  }),
  Schema.Struct({ object: Schema.String })
)
const Thing = Schema.Struct({
  id: Schema.String,
  firstName: Schema.propertySignature(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("first_name")),
  lastName: Schema.optional(Schema.String).pipe(Schema.fromKey("last_name")),
  banned: Schema.optional(Schema.Boolean),
  tags: Schema.Array(Schema.String),
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  verification: Schema.NullOr(Verification),
  kind: Schema.String.pipe(Schema.brand("Kind"))
})

const wire = {
  id: "t_1",
  first_name: "Ada",
  banned: false,
  tags: ["a"],
  metadata: { plan: "pro", nested: { n: 1 } },
  verification: { object: "admin", expire_at: null },
  kind: "k",
  ignored: true
}

const same = (input: unknown) => {
  const expected = Schema.decodeUnknownEither(Thing)(input)
  const actual = Codec.decodeUnknownEither(Thing)(input)
  expect(actual).toStrictEqual(expected)
  if (Either.isRight(actual) && Either.isRight(expected)) {
    expect(Reflect.ownKeys(actual.right)).toStrictEqual(Reflect.ownKeys(expected.right))
  }
  if (Either.isLeft(actual) && Either.isLeft(expected)) {
    expect(ParseResult.TreeFormatter.formatErrorSync(actual.left)).toBe(
      ParseResult.TreeFormatter.formatErrorSync(expected.left)
    )
  }
  return actual
}

describe("Codec", () => {
  it("decodes on the compiled path: renamed keys, declared order, excess keys dropped", () => {
    expect(compile(Thing.ast)(wire)).not.toBe(miss)
    const decoded = same(wire)
    expect(Either.isRight(decoded) && Object.keys(decoded.right)).toStrictEqual([
      "id",
      "firstName",
      "banned",
      "tags",
      "metadata",
      "verification",
      "kind"
    ])
  })

  it("keeps an optional key that is present with undefined, and drops an absent one", () => {
    const decoded = same({ ...wire, last_name: undefined })
    expect(Either.isRight(decoded) && "lastName" in decoded.right).toBe(true)
    const without = same(wire)
    expect(Either.isRight(without) && "lastName" in without.right).toBe(false)
  })

  it("picks union members as the Schema does: by literal, then the open fallback", () => {
    same({ ...wire, verification: { object: "otp", attempts: 1 } })
    same({ ...wire, verification: { object: "added_since" } })
    same({ ...wire, verification: { object: "admin" } })
    same({ ...wire, verification: { object: 7 } })
    same({ ...wire, verification: null })
  })

  it("fails with the Schema's own error", () => {
    for (
      const input of [
        null,
        [],
        "x",
        { ...wire, id: 1 },
        { ...wire, tags: [1] },
        { ...wire, first_name: undefined },
        { ...wire, metadata: [] },
        { ...wire, verification: "admin" }
      ]
    ) {
      expect(compile(Thing.ast)(input)).toBe(miss)
      expect(Either.isLeft(same(input))).toBe(true)
    }
  })

  it("leaves unusual inputs to the Schema: other prototypes, __proto__ keys, throwing getters", () => {
    class Box {
      constructor(readonly id: string) {}
    }
    const boxed = Object.assign(new Box("t_1"), { ...wire })
    expect(compile(Thing.ast)(boxed)).toBe(miss)
    same(boxed)
    const proto = JSON.parse(
      `{"id":"t","first_name":null,"tags":[],"metadata":{"__proto__":{"a":1}},"verification":null,"kind":"k"}`
    )
    expect(compile(Thing.ast)(proto)).toBe(miss)
    same(proto)
    const throwing = {
      ...wire,
      get tags(): never {
        throw new Error("getter")
      }
    }
    expect(compile(Thing.ast)(throwing)).toBe(miss)
  })

  it("decodeUnknown is an Effect with the same result", () => {
    expect(Effect.runSync(Codec.decodeUnknown(Thing)(wire))).toStrictEqual(Schema.decodeUnknownSync(Thing)(wire))
    const failure = Effect.runSync(Effect.flip(Codec.decodeUnknown(Thing)({})))
    expect(failure._tag).toBe("ParseError")
  })
})

/**
 * The Codec's answer against the Schema's: equal, the same failure report, and for a success `sameShape` (key order
 * or the serialised text) holds.
 */
const agrees = <A>(
  expected: Either.Either<A, ParseResult.ParseError>,
  actual: Either.Either<A, ParseResult.ParseError>,
  sameShape: (actual: A, expected: A) => void
) => {
  expect(actual).toStrictEqual(expected)
  if (Either.isRight(actual) && Either.isRight(expected)) sameShape(actual.right, expected.right)
  if (Either.isLeft(actual) && Either.isLeft(expected)) {
    expect(ParseResult.TreeFormatter.formatErrorSync(actual.left)).toBe(
      ParseResult.TreeFormatter.formatErrorSync(expected.left)
    )
  }
  return actual
}

const sameEncoded = (schema: Schema.Schema.AnyNoContext, input: unknown) =>
  agrees(
    Schema.encodeUnknownEither(schema)(input),
    Codec.encodeUnknownEither(schema)(input),
    (actual, expected) => expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
  )

const typed = Schema.decodeUnknownSync(Thing)(wire)

describe("Codec encoding", () => {
  it("encodes on the compiled path: wire keys, the wire struct's order, excess keys dropped", () => {
    expect(compileEncoder(Thing.ast)({ ...typed, extra: 1 })).not.toBe(miss)
    const encoded = sameEncoded(Thing, { ...typed, extra: 1 })
    expect(Either.isRight(encoded) && Object.keys(encoded.right)).toStrictEqual([
      "id",
      "first_name",
      "banned",
      "tags",
      "metadata",
      "verification",
      "kind"
    ])
    expect(Either.isRight(encoded) && encoded.right).toMatchObject({ verification: { expire_at: null } })
  })

  it("keeps an optional key that is present with undefined, and drops an absent one", () => {
    const encoded = sameEncoded(Thing, { ...typed, lastName: undefined })
    expect(Either.isRight(encoded) && "last_name" in encoded.right).toBe(true)
    const without = sameEncoded(Thing, typed)
    expect(Either.isRight(without) && "last_name" in without.right).toBe(false)
  })

  it("picks union members as the Schema does, and fails with the Schema's own error", () => {
    sameEncoded(Thing, { ...typed, verification: { object: "otp", attempts: 1 } })
    sameEncoded(Thing, { ...typed, verification: { object: "added_since" } })
    sameEncoded(Thing, { ...typed, verification: { object: "admin" } })
    for (
      const input of [null, { ...typed, id: 1 }, { ...typed, tags: [1] }, { ...typed, firstName: undefined }, {
        ...typed,
        verification: { object: 7 }
      }]
    ) {
      expect(compileEncoder(Thing.ast)(input)).toBe(miss)
      expect(Either.isLeft(sameEncoded(Thing, input))).toBe(true)
    }
  })

  it("follows Effect's two passes over a renamed struct: the union chooses on the validated copy", () => {
    // Effect first validates `pick` into a copy (the second member matches, `x` is dropped), then encodes the copy,
    // where the first member now matches: the result is `{}`, not `{ y: "s" }`
    const Pick = Schema.Struct({
      pick: Schema.propertySignature(
        Schema.Union(Schema.Struct({ x: Schema.optional(Schema.Number) }), Schema.Struct({ y: Schema.String }))
      ).pipe(Schema.fromKey("p"))
    })
    const encoded = sameEncoded(Pick, { pick: { x: "not a number", y: "s" } })
    expect(Either.isRight(encoded) && encoded.right).toStrictEqual({ p: {} })
    expect(compileEncoder(Pick.ast)({ pick: { x: "not a number", y: "s" } })).not.toBe(miss)
  })

  it("leaves unusual inputs to the Schema: other prototypes, throwing getters", () => {
    class Box {
      constructor(readonly id: string) {}
    }
    const boxed = Object.assign(new Box("t_1"), { ...typed })
    expect(compileEncoder(Thing.ast)(boxed)).toBe(miss)
    sameEncoded(Thing, boxed)
    const throwing = {
      ...typed,
      get tags(): never {
        throw new Error("getter")
      }
    }
    expect(compileEncoder(Thing.ast)(throwing)).toBe(miss)
  })

  it("encodeUnknown is an Effect with the same result", () => {
    expect(Effect.runSync(Codec.encodeUnknown(Thing)(typed))).toStrictEqual(Schema.encodeSync(Thing)(typed))
    const failure = Effect.runSync(Effect.flip(Codec.encodeUnknown(Thing)({})))
    expect(failure._tag).toBe("ParseError")
  })
})

const sameDecoded = (schema: Schema.Schema.AnyNoContext, input: unknown) =>
  agrees(
    Schema.decodeUnknownEither(schema)(input),
    Codec.decodeUnknownEither(schema)(input),
    (actual, expected) => expect(Reflect.ownKeys(actual)).toStrictEqual(Reflect.ownKeys(expected))
  )

const renamed = (from: string) => Schema.propertySignature(Schema.String).pipe(Schema.fromKey(from))

describe("Codec on renames that collide", () => {
  // Effect renames key by key, in declaration order, on one object: a rename onto a key another field is read
  // from overwrites it (or deletes it) before that field is read
  it("decodes as the Schema when a wire key is another field's declared key", () => {
    const Legacy = Schema.Struct({ id: renamed("user_id"), legacyId: renamed("id") })
    expect(Either.isLeft(sameDecoded(Legacy, { user_id: "user_2", id: "123" }))).toBe(true)
    const Reversed = Schema.Struct({ legacyId: renamed("id"), id: renamed("user_id") })
    expect(sameDecoded(Reversed, { user_id: "user_2", id: "123" })).toStrictEqual(
      Either.right({ legacyId: "123", id: "user_2" })
    )
    const Swap = Schema.Struct({ a: renamed("b"), b: renamed("a") })
    expect(Either.isLeft(sameDecoded(Swap, { a: "A", b: "B" }))).toBe(true)
    sameDecoded(Schema.Struct({ a: renamed("b"), c: renamed("a") }), { a: "A", b: "B" })
    sameDecoded(Schema.Struct({ a: renamed("b"), b: renamed("c") }), { b: "B", c: "C" })
  })

  it("encodes as the Schema when a wire key is another field's declared key", () => {
    const Legacy = Schema.Struct({ id: renamed("user_id"), legacyId: renamed("id") })
    sameEncoded(Legacy, { id: "user_2", legacyId: "123" })
    const Reversed = Schema.Struct({ legacyId: renamed("id"), id: renamed("user_id") })
    sameEncoded(Reversed, { id: "user_2", legacyId: "123" })
    sameEncoded(Schema.Struct({ a: renamed("b"), b: renamed("a") }), { a: "A", b: "B" })
  })

  // structs over a few shared key names, so wire keys and declared keys meet often; inputs over the same names
  const names = ["a", "b", "c", "d"] as const
  const field = FastCheck.record({
    key: FastCheck.constantFrom(...names),
    wire: FastCheck.constantFrom(...names),
    optional: FastCheck.boolean()
  })
  type Token = Schema.PropertySignature.Token
  type Field =
    | Schema.PropertySignature<Token, string, PropertyKey, Token, string, boolean>
    | Schema.PropertySignature<Token, string | undefined, PropertyKey, Token, string | undefined, boolean>
  const fieldOf = ({ key, optional, wire }: { key: string; wire: string; optional: boolean }): Field => {
    if (key === wire) return optional ? Schema.optional(Schema.String) : Schema.propertySignature(Schema.String)
    return optional ? Schema.optional(Schema.String).pipe(Schema.fromKey(wire)) : renamed(wire)
  }
  const structOf = (fields: ReadonlyArray<{ key: string; wire: string; optional: boolean }>) => {
    try {
      return Schema.Struct(Object.fromEntries(fields.map((field) => [field.key, fieldOf(field)])))
    } catch {
      return undefined // a wire key used twice: Effect refuses the struct
    }
  }
  const input = FastCheck.dictionary(
    FastCheck.constantFrom(...names),
    FastCheck.oneof(FastCheck.constantFrom("x", "y"), FastCheck.constant(undefined), FastCheck.constant(1))
  )

  it("decodes and encodes any struct of renames exactly as the Schema (property)", () => {
    let compiledAnswers = 0
    FastCheck.assert(
      FastCheck.property(
        FastCheck.uniqueArray(field, { minLength: 1, maxLength: 4, selector: (f) => f.key }),
        input,
        (fields, value) => {
          const schema = structOf(fields)
          if (schema === undefined) return
          if (compile(schema.ast)(value) !== miss) compiledAnswers++
          sameDecoded(schema, value)
          sameEncoded(schema, value)
        }
      ),
      { numRuns: 2000 }
    )
    // the structs that do not collide are decoded on the compiled path
    expect(compiledAnswers).toBeGreaterThan(100)
  })
})

describe("Codec reads own keys only, as the Schema does", () => {
  const Person = Schema.Struct({
    id: Schema.String,
    firstName: Schema.optional(Schema.String).pipe(Schema.fromKey("first_name")),
    locale: Schema.optional(Schema.String),
    sso: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("matches_sso_connection"))
  })
  // pollution after the codecs are built (as when it happens while an app runs)
  sameDecoded(Person, { id: "user_1" })
  sameEncoded(Person, { id: "user_1" })
  const polluted = <A>(keys: Record<string, unknown>, f: () => A): A => {
    const proto = Object.prototype as Record<string, unknown>
    for (const [name, value] of Object.entries(keys)) proto[name] = value
    try {
      return f()
    } finally {
      for (const name of Object.keys(keys)) delete proto[name]
    }
  }

  it("ignores optional keys inherited from a polluted Object.prototype when decoding", () => {
    polluted({ first_name: "polluted", locale: "xx", matches_sso_connection: true }, () => {
      const decoded = sameDecoded(Person, { id: "user_1" })
      expect(decoded).toStrictEqual(Either.right({ id: "user_1" }))
      expect(sameDecoded(Person, { id: "user_1", locale: "en" })).toStrictEqual(
        Either.right({ id: "user_1", locale: "en" })
      )
    })
    // not enumerable either
    Object.defineProperty(Object.prototype, "locale", { value: "xx", configurable: true, writable: true })
    try {
      expect(sameDecoded(Person, { id: "user_1" })).toStrictEqual(Either.right({ id: "user_1" }))
    } finally {
      delete (Object.prototype as Record<string, unknown>)["locale"]
    }
  })

  it("ignores optional keys inherited from a polluted Object.prototype when encoding", () => {
    polluted({ firstName: "polluted", locale: "xx", sso: true }, () => {
      expect(sameEncoded(Person, { id: "user_1" })).toStrictEqual(Either.right({ id: "user_1" }))
    })
  })

  it("reads a required key through the prototype, as the Schema does", () => {
    polluted({ id: "inherited" }, () => {
      expect(sameDecoded(Person, {})).toStrictEqual(Either.right({ id: "inherited" }))
    })
  })
})

describe("Codec failures on values nested deeper than any stack", () => {
  /** `levels` arrays around `inner`, built without recursion. */
  const nest = (levels: number, inner: unknown = []): unknown => {
    let value = inner
    for (let i = 0; i < levels; i++) value = [value]
    return value
  }
  /** What the report shows in place of what it cuts: printed by its `toString`, as the Schema prints it. */
  const marker = (text: string) => ({ toString: () => text })
  const report = (result: Either.Either<unknown, ParseResult.ParseError>) =>
    Either.isLeft(result) ? result.left.message : "decoded"

  it("a 100,000-level array for a struct: the Schema's report, the value cut at 32 levels", () => {
    const deep = nest(100_000)
    const expected = report(Schema.decodeUnknownEither(Thing)(nest(32, marker("[…]"))))
    expect(expected).toContain(`actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
    expect(report(Codec.decodeUnknownEither(Thing)(deep))).toBe(expected)
    expect(Effect.runSync(Effect.flip(Codec.decodeUnknown(Thing)(deep))).message).toBe(expected)
    // the encoding side: `tags` holds strings, not a deep array
    const typedDeep = { ...typed, tags: [nest(100_000)] }
    const encodedExpected = report(Schema.encodeUnknownEither(Thing)({ ...typed, tags: [nest(32, marker("[…]"))] }))
    expect(encodedExpected).toContain(`actual ${"[".repeat(32)}[…]${"]".repeat(32)}`)
    expect(report(Codec.encodeUnknownEither(Thing)(typedDeep))).toBe(encodedExpected)
    expect(Effect.runSync(Effect.flip(Codec.encodeUnknown(Thing)(typedDeep))).message).toBe(encodedExpected)
  })

  it("deep objects, a field of the wrong type, and the deepest value the bound leaves whole", () => {
    let object: unknown = {}
    for (let i = 0; i < 50_000; i++) object = { a: object }
    const message = report(Codec.decodeUnknownEither(Thing)({ ...wire, first_name: object }))
    expect(message).toContain(`├─ Expected string, actual ${"{\"a\":".repeat(32)}{…}${"}".repeat(32)}`)
    // the input (the struct's issue holds it too) nests 32 levels, 0 to 31: the Schema's own error, untouched
    const edge = nest(30)
    const result = Codec.decodeUnknownEither(Thing)({ ...wire, first_name: edge })
    expect(result).toStrictEqual(Schema.decodeUnknownEither(Thing)({ ...wire, first_name: edge }))
  })

  it("shared and circular values are walked once each, Maps, Sets and causes are cut too", () => {
    // 2^80 paths through 80 arrays: walked as 80 objects, later meetings print as [Circular]
    let shared: unknown = []
    for (let i = 0; i < 80; i++) shared = [shared, shared]
    expect(report(Codec.decodeUnknownEither(Thing)(shared))).toContain("[Circular]")
    const cycle: Array<unknown> = [nest(10_000)]
    cycle.push(cycle)
    expect(report(Codec.decodeUnknownEither(Thing)({ ...wire, id: cycle }))).toContain("[Circular]")
    const map = new Map([["k", nest(10_000)]])
    expect(report(Codec.decodeUnknownEither(Thing)({ ...wire, id: map }))).toContain("Map([[\"k\",[[[")
    expect(report(Codec.decodeUnknownEither(Thing)({ ...wire, id: new Set([nest(10_000)]) }))).toContain("Set([[[[")
    const error = new Error("boom", { cause: nest(10_000) })
    expect(report(Codec.decodeUnknownEither(Thing)({ ...wire, id: error }))).toContain("Error: boom (cause: [[[")
  })
})

describe("Codec on unions the type side re-validates", () => {
  // a renamed struct's type side re-validates its fields: a value failing member A on the wire (x: {}) is decoded by
  // B, then passes A's type (its other keys optional) and is rebuilt in A's key order, as the Schema gives
  const A = Schema.Struct({
    s: Schema.String,
    x: Schema.optional(Schema.NullOr(Schema.String)),
    e: Schema.optional(Schema.Number),
    a: Schema.Number
  })
  const B = Schema.Struct({ s: Schema.String, a: Schema.Number, e: Schema.Number })
  const Outer = Schema.Struct({ v: Schema.propertySignature(Schema.Union(A, B)).pipe(Schema.fromKey("v_w")) })
  const Plain = Schema.Struct({ v: Schema.Union(A, B) })

  it("gives the Schema's value, keys in the Schema's order", () => {
    for (
      const [schema, input] of [
        [Outer, { v_w: { s: "", x: {}, e: 0, a: 0 } }],
        [Outer, { v_w: { s: "", x: null, e: 0, a: 0 } }],
        [Plain, { v: { s: "", x: {}, e: 0, a: 0 } }]
      ] as const
    ) {
      const expected = Schema.decodeUnknownEither(schema as Schema.Schema.AnyNoContext)(input)
      const got = Codec.decodeUnknownEither(schema as Schema.Schema.AnyNoContext)(input)
      expect(Either.isRight(got) && Either.isRight(expected)).toBe(true)
      if (Either.isRight(got) && Either.isRight(expected)) {
        expect(JSON.stringify(got.right)).toBe(JSON.stringify(expected.right))
      }
      const compiled = compile(schema.ast)(input)
      if (compiled !== miss && Either.isRight(expected)) {
        expect(JSON.stringify(compiled)).toBe(JSON.stringify(expected.right))
      }
    }
    // the plain struct does not re-validate: B's order (the compiled path leaves it to the Schema)
    const plain = Schema.decodeUnknownSync(Plain)({ v: { s: "", x: {}, e: 0, a: 0 } })
    expect(JSON.stringify(plain)).toBe(`{"v":{"s":"","a":0,"e":0}}`)
  })
})
