import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * Free-form metadata (`public_metadata`, ...): keys and values pass through untouched, camelCase or not.
 *
 * @internal
 */
export const Metadata = /*#__PURE__*/ Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * An enum value this SDK does not know yet: Clerk adds values often, and a new one must not fail the decode.
 *
 * @internal
 */
export const UnknownValue = /*#__PURE__*/ Schema.String.pipe(Schema.brand("@effect-clerk/UnknownEnumValue"))

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
export const IntegerParam = /*#__PURE__*/ Schema.compose(Schema.NumberFromString, Schema.Int)

/**
 * A timestamp query parameter: Unix milliseconds on the wire; a number or a `Date` in code.
 *
 * @internal
 */
export const TimestampParam = /*#__PURE__*/ Schema.transform(
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
export const DateTimeInput = /*#__PURE__*/ Schema.transform(
  Schema.String,
  Schema.Union(Schema.String, Schema.ValidDateFromSelf),
  {
    strict: true,
    decode: (text) => text,
    encode: (value) => (typeof value === "string" ? value : value.toISOString())
  }
)

/**
 * `expireAt` → `expire_at`: the snake_case wire key of a camelCase name (an `_` before each capital, lowercased).
 *
 * @internal
 */
export type Snake<S extends string, Acc extends string = ""> = S extends `${infer C}${infer Rest}`
  ? Snake<Rest, `${Acc}${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}`>
  : Acc

/**
 * The field named `K` read from wire key `W`: the same field when `W` is `K`, else what
 * `Schema.propertySignature(field).pipe(Schema.fromKey(W))` (a schema) or `field.pipe(Schema.fromKey(W))` (a
 * property signature) types.
 *
 * @internal
 */
export type WireField<F, K extends string, W extends string> = W extends K ? F
  : F extends Schema.PropertySignature<infer TT, infer T, PropertyKey, infer ET, infer E, infer D, infer R>
    ? Schema.PropertySignature<TT, T, W, ET, E, D, R>
  : F extends Schema.Schema.All ? Schema.PropertySignature<
      ":",
      Schema.Schema.Type<F>,
      W,
      ":",
      Schema.Schema.Encoded<F>,
      false,
      Schema.Schema.Context<F>
    >
  : never

/**
 * The fields `wireStruct` takes: schemas (required) or property signatures (`Schema.optional`), by camelCase name.
 *
 * @internal
 */
export type WireFieldsInput = { readonly [name: string]: Schema.Schema.Any | Schema.PropertySignature.Any }

/**
 * Struct fields, each read from the snake_case wire key of its name (a homomorphic mapping: the names and their
 * documentation stay).
 *
 * @internal
 */
export type WireFields<F extends WireFieldsInput> = {
  [K in keyof F]: WireField<F[K], K & string, Snake<K & string>>
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/**
 * A struct whose fields are read from the snake_case wire keys of their camelCase names (`expireAt` from
 * `expire_at`, with `Schema.fromKey` as a hand-written struct would), annotated with `identifier` when given. The
 * generator writes a struct this way only when every wire key is the `Snake` of its name; one call per schema.
 *
 * @internal
 */
export const wireStruct = <F extends WireFieldsInput>(
  fields: F,
  identifier?: string
): Schema.Struct<WireFields<F>> => {
  const out: Record<string, Schema.Schema.Any | Schema.PropertySignature.Any> = {}
  for (const name of Object.keys(fields)) {
    const field = fields[name]!
    const key = snake(name)
    out[name] = key === name
      ? field
      : Schema.isPropertySignature(field)
      ? Schema.fromKey(key)(field)
      : Schema.propertySignature(field).pipe(Schema.fromKey(key))
  }
  // the fields built above are WireFields<F> name by name (schema.test.ts checks both against a hand-written struct)
  const struct = Schema.Struct(out as WireFields<F>)
  return identifier === undefined ? struct : struct.annotations({ identifier })
}
