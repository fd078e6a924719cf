/**
 * The compiled decoders (`Codec`, used for every response) against `Schema.decodeUnknown`, model by model:
 * values drawn from each schema's `Arbitrary`, encoded to the wire, then decoded both ways, must give identical
 * results (same keys in the same order, same key presence, same values); mutated wire values (wrong types,
 * missing fields, nulls, unknown enum values and discriminator kinds, extra fields) must give the same success
 * or the same failure, with the Schema's own message.
 */
import { Codec } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { compile, miss } from "../../core/src/internal/compile.js"
import { difference, message, models, mutate, mutations, optionalKeys, runs, schemas } from "./codecCases.js"

/** Decodes both ways and compares; returns whether the compiled path answered (rather than the Schema fallback). */
const sameBothWays = (schema: Schema.Schema.AnyNoContext, input: unknown): boolean => {
  const expected = Schema.decodeUnknownEither(schema)(input)
  const compiled = compile(schema.ast)(input)
  if (compiled !== miss) {
    // a compiled answer is only ever a success, and exactly the Schema's
    expect(Either.isRight(expected)).toBe(true)
    if (Either.isRight(expected)) expect(difference(compiled, expected.right)).toBeUndefined()
  }
  const viaCodec = Codec.decodeUnknownEither(schema)(input)
  expect(Either.isRight(viaCodec)).toBe(Either.isRight(expected))
  if (Either.isRight(viaCodec) && Either.isRight(expected)) {
    expect(difference(viaCodec.right, expected.right)).toBeUndefined()
  }
  expect(message(viaCodec)).toBe(message(expected))
  return compiled !== miss
}

describe("compiled codecs decode exactly as the Schema", () => {
  it("covers every model", () => {
    expect(models.length).toBeGreaterThan(50)
  })

  for (const [name, schema] of schemas) {
    it(name, () => {
      const encode = Schema.encodeSync(schema)
      let compiledAnswers = 0
      FastCheck.assert(
        FastCheck.property(
          Arbitrary.make(schema),
          FastCheck.array(FastCheck.tuple(FastCheck.nat(), FastCheck.constantFrom(...mutations)), {
            minLength: 1,
            maxLength: 3
          }),
          (value, picks) => {
            const encoded = encode(value)
            // as encoded (keys holding `undefined` included), and as it arrives over the wire (JSON)
            sameBothWays(schema, encoded)
            const wire: unknown = JSON.parse(JSON.stringify(encoded))
            if (sameBothWays(schema, wire)) compiledAnswers++
            sameBothWays(schema, mutate(wire, picks))
          }
        ),
        // arrays of users are the slowest to draw: fewer runs (each user in them is drawn many times anyway)
        { numRuns: name.startsWith("Users.") ? Math.ceil(runs / 3) : runs }
      )
      // the compiled path does answer for values from the wire (not only the fallback)
      expect(compiledAnswers).toBeGreaterThan(0)
    })
  }
})

describe("compiled codecs ignore keys inherited from a polluted Object.prototype, as the Schema does", () => {
  it("every model, with every optional wire key of it set on Object.prototype", () => {
    const proto = Object.prototype as Record<string, unknown>
    for (const [, schema] of models) {
      const values = FastCheck.sample(Arbitrary.make(schema), { numRuns: 3, seed: 11 })
      const wires: Array<unknown> = values.map((value) => JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value))))
      for (const wire of wires) sameBothWays(schema, wire) // compiled before the pollution, as in a running app
      const keys = [...optionalKeys(AST.encodedAST(schema.ast))]
      try {
        for (const key of keys) proto[key] = "polluted"
        for (const wire of wires) sameBothWays(schema, wire)
      } finally {
        for (const key of keys) delete proto[key]
      }
    }
  })
})
