import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * Free-form metadata (`public_metadata`, ...): keys and values pass through untouched, camelCase or not.
 *
 * @internal
 */
export const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * An enum value this SDK does not know yet: Clerk adds values often, and a new one must not fail the decode.
 *
 * @internal
 */
export const UnknownValue = Schema.String.pipe(Schema.brand("@effect-clerk/UnknownEnumValue"))

/**
 * A response enum: the spec's values as literals (so they narrow and autocomplete), plus any other string.
 *
 * @internal
 */
export const openEnum = <const L extends ReadonlyArray<string>>(
  ...values: L
): Schema.Schema<L[number] | (string & Brand.Brand<"@effect-clerk/UnknownEnumValue">)> =>
  Schema.declare(
    (u: unknown): u is L[number] | (string & Brand.Brand<"@effect-clerk/UnknownEnumValue">) => typeof u === "string",
    {
      identifier: `OpenEnum<${values.join(" | ")}>`,
      description: `one of ${values.join(", ")}, or a value added since`,
      // mostly the spec's values, sometimes a value added since (for property tests)
      arbitrary: () => (fc) =>
        fc.oneof(
          { arbitrary: fc.constantFrom(...values), weight: 4 },
          { arbitrary: fc.string(), weight: 1 }
        )
    }
  )

/**
 * An array query parameter: repeated keys on the wire (`a=1&a=2`); a single occurrence decodes to a one-item array.
 *
 * @internal
 */
export const QueryArray = <A extends string>(item: Schema.Schema<A, string>) =>
  Schema.transform(
    Schema.Union(Schema.Array(item), item),
    Schema.Array(Schema.typeSchema(item)),
    {
      strict: true,
      decode: (value) => (typeof value === "string" ? [value] : value),
      encode: (value) => value
    }
  )

/**
 * An integer query parameter.
 *
 * @internal
 */
export const IntegerParam = Schema.compose(Schema.NumberFromString, Schema.Int)

/**
 * A timestamp query parameter: Unix milliseconds on the wire; a number or a `Date` in code.
 *
 * @internal
 */
export const TimestampParam = Schema.transform(
  IntegerParam,
  Schema.Union(Schema.Int, Schema.ValidDateFromSelf),
  {
    strict: true,
    decode: (millis) => millis,
    encode: (value) => (typeof value === "number" ? value : value.getTime())
  }
)

/**
 * An RFC 3339 date-time in a JSON body: a string or a `Date` in code, an ISO string on the wire.
 *
 * @internal
 */
export const DateTimeInput = Schema.transform(
  Schema.String,
  Schema.Union(Schema.String, Schema.ValidDateFromSelf),
  {
    strict: true,
    decode: (text) => text,
    encode: (value) => (typeof value === "string" ? value : value.toISOString())
  }
)
