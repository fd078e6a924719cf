/**
 * The compiled encoders (`Codec.encodeUnknown`, used by the emulator for every response) against
 * `Schema.encodeUnknown`, model by model: values drawn from each schema's `Arbitrary` encoded both ways must give
 * identical results (same keys in the same order, same key presence, same values); mutated values (wrong types,
 * missing fields, nulls, unknown enum values and discriminator kinds, extra fields) and wire-shaped values (keys
 * not renamed) must give the same success or the same failure, with the Schema's own message.
 */
import { Codec } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { miss } from "../../core/src/internal/compile.js"
import { compileEncoder } from "../../core/src/internal/encode.js"
import { difference, message, models, mutate, mutations, optionalKeys, runs, schemas } from "./codecCases.js"

/** Encodes both ways and compares; returns whether the compiled path answered (rather than the Schema fallback). */
const sameBothWays = (schema: Schema.Schema.AnyNoContext, input: unknown): boolean => {
  const expected = Schema.encodeUnknownEither(schema)(input)
  const compiled = compileEncoder(schema.ast)(input)
  if (compiled !== miss) {
    // a compiled answer is only ever a success, and exactly the Schema's
    expect(Either.isRight(expected)).toBe(true)
    if (Either.isRight(expected)) expect(difference(compiled, expected.right)).toBeUndefined()
  }
  const viaCodec = Codec.encodeUnknownEither(schema)(input)
  expect(Either.isRight(viaCodec)).toBe(Either.isRight(expected))
  if (Either.isRight(viaCodec) && Either.isRight(expected)) {
    expect(difference(viaCodec.right, expected.right)).toBeUndefined()
  }
  expect(message(viaCodec)).toBe(message(expected))
  return compiled !== miss
}

describe("compiled codecs encode exactly as the Schema", () => {
  it("covers every model", () => {
    expect(models.length).toBeGreaterThan(50)
  })

  for (const [name, schema] of schemas) {
    it(name, () => {
      const encode = Schema.encodeSync(schema)
      const decode = Schema.decodeUnknownEither(schema)
      let compiledAnswers = 0
      FastCheck.assert(
        FastCheck.property(
          Arbitrary.make(schema),
          FastCheck.array(FastCheck.tuple(FastCheck.nat(), FastCheck.constantFrom(...mutations)), {
            minLength: 1,
            maxLength: 3
          }),
          (value, picks) => {
            // as drawn (keys holding `undefined` included), and as decoded from the wire (what handlers hold)
            if (sameBothWays(schema, value)) compiledAnswers++
            const wire: unknown = JSON.parse(JSON.stringify(encode(value)))
            // (a drawn NaN or Infinity does not survive JSON: such a wire value does not decode)
            const decoded = decode(wire)
            if (Either.isRight(decoded)) {
              if (sameBothWays(schema, decoded.right)) compiledAnswers++
              sameBothWays(schema, mutate(decoded.right, picks))
            }
            sameBothWays(schema, mutate(value, picks))
            // the wire shape itself, its keys not renamed
            sameBothWays(schema, wire)
          }
        ),
        // arrays of users are the slowest to draw: fewer runs (each user in them is drawn many times anyway)
        { numRuns: name.startsWith("Users.") ? Math.ceil(runs / 3) : runs }
      )
      // the compiled path does answer (not only the fallback)
      expect(compiledAnswers).toBeGreaterThan(0)
    })
  }
})

describe("compiled encoders ignore keys inherited from a polluted Object.prototype, as the Schema does", () => {
  it("every model, with every optional declared key of it set on Object.prototype", () => {
    const proto = Object.prototype as Record<string, unknown>
    for (const [, schema] of models) {
      const values = FastCheck.sample(Arbitrary.make(schema), { numRuns: 3, seed: 11 })
      for (const value of values) sameBothWays(schema, value) // compiled before the pollution, as in a running app
      const keys = [...optionalKeys(AST.typeAST(schema.ast))]
      try {
        for (const key of keys) proto[key] = "polluted"
        for (const value of values) sameBothWays(schema, value)
      } finally {
        for (const key of keys) delete proto[key]
      }
    }
  })
})
