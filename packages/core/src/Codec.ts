/**
 * Compiled decoding and encoding: a Schema's AST is compiled once into a plain function, so decoding a response (or
 * encoding one, in the emulator) does not interpret the AST value by value. The result is exactly
 * `Schema.decodeUnknown`'s (`Schema.encodeUnknown`'s): on any input the compiled function cannot vouch for, the
 * Schema itself does the work, so a failure is always the Schema's own report. One difference, on failure only: a
 * value in the error's issues nesting deeper than 32 levels is held as a copy cut at that depth (`[…]`/`{…}` in
 * the report), as printing the Schema's issue would overflow the stack (a 6 KB JSON body can nest 3,000 deep); the
 * report (`message`) can always be made.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { compile, miss } from "./internal/compile.js"
import { compileEncoder } from "./internal/encode.js"
import { boundError } from "./internal/issue.js"

/**
 * `Schema.decodeUnknown(schema)`, compiled: the same success value, the same `ParseError` on failure.
 *
 * @example
 * ```ts
 * import { Codec } from "@effect-clerk/core"
 * import { Effect, Schema } from "effect"
 *
 * const User = Schema.Struct({ id: Schema.String, firstName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("first_name")) })
 * const user = Effect.runSync(Codec.decodeUnknown(User)({ id: "user_1", first_name: "Ada" }))
 * console.log(user.firstName) // "Ada"
 * ```
 * @since 0.2.0
 * @category decoding
 */
export const decodeUnknown = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Effect.Effect<A, ParseResult.ParseError> => {
  const fast = compile(schema.ast)
  return (input) => {
    const decoded = fast(input)
    // `compile` only returns a value `Schema.decodeUnknown(schema)` also returns (test/Codec.test.ts, and the
    // equivalence property tests of every model in @effect-clerk/users): that value is an `A`.
    return decoded === miss
      ? Effect.mapError(Schema.decodeUnknown(schema)(input), boundError)
      : Effect.succeed(decoded as A)
  }
}

/**
 * `Schema.decodeUnknownEither(schema)`, compiled.
 *
 * @example
 * ```ts
 * import { Codec } from "@effect-clerk/core"
 * import { Either, Schema } from "effect"
 *
 * const decode = Codec.decodeUnknownEither(Schema.Array(Schema.Number))
 * console.log(Either.isRight(decode([1, 2]))) // true
 * ```
 * @since 0.2.0
 * @category decoding
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const fast = compile(schema.ast)
  return (input) => {
    const decoded = fast(input)
    // as above: a compiled success is the Schema's own success value
    return decoded === miss
      ? Either.mapLeft(Schema.decodeUnknownEither(schema)(input), boundError)
      : Either.right(decoded as A)
  }
}

/**
 * `Schema.encodeUnknown(schema)`, compiled: the same encoded value, the same `ParseError` on failure. Kept apart
 * from decoding (its own internal module), so an app that only decodes does not bundle it.
 *
 * @example
 * ```ts
 * import { Codec } from "@effect-clerk/core"
 * import { Effect, Schema } from "effect"
 *
 * const User = Schema.Struct({ id: Schema.String, firstName: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("first_name")) })
 * const wire = Effect.runSync(Codec.encodeUnknown(User)({ id: "user_1", firstName: "Ada" }))
 * console.log(wire) // { id: "user_1", first_name: "Ada" }
 * ```
 * @since 0.2.0
 * @category encoding
 */
export const encodeUnknown = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Effect.Effect<I, ParseResult.ParseError> => {
  const fast = compileEncoder(schema.ast)
  return (input) => {
    const encoded = fast(input)
    // `compileEncoder` only returns a value `Schema.encodeUnknown(schema)` also returns (test/Codec.test.ts, and the
    // equivalence property tests of every model in @effect-clerk/users): that value is an `I`.
    return encoded === miss
      ? Effect.mapError(Schema.encodeUnknown(schema)(input), boundError)
      : Effect.succeed(encoded as I)
  }
}

/**
 * `Schema.encodeUnknownEither(schema)`, compiled.
 *
 * @example
 * ```ts
 * import { Codec } from "@effect-clerk/core"
 * import { Either, Schema } from "effect"
 *
 * const encode = Codec.encodeUnknownEither(Schema.Array(Schema.Number))
 * console.log(Either.isRight(encode([1, 2]))) // true
 * ```
 * @since 0.2.0
 * @category encoding
 */
export const encodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I, never>
): (input: unknown) => Either.Either<I, ParseResult.ParseError> => {
  const fast = compileEncoder(schema.ast)
  return (input) => {
    const encoded = fast(input)
    // as above: a compiled success is the Schema's own success value
    return encoded === miss
      ? Either.mapLeft(Schema.encodeUnknownEither(schema)(input), boundError)
      : Either.right(encoded as I)
  }
}
