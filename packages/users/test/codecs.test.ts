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
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { compile, miss } from "../../core/src/internal/compile.js"
import { Models } from "../src/index.js"
import * as Success from "../src/internal/success.js"

/** The path of the first difference between two values (keys, key order, prototypes, values), or `undefined`. */
const difference = (a: unknown, b: unknown, path = "$"): string | undefined => {
  if (Object.is(a, b)) return undefined
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path
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
      `${path}.${String(key)}`
    )
    if (inner !== undefined) return inner
  }
  return undefined
}

type Mutation = "null" | "number" | "string" | "boolean" | "object" | "array" | "delete" | "extra" | "unknown"
const mutations: ReadonlyArray<Mutation> = [
  "null",
  "number",
  "string",
  "boolean",
  "object",
  "array",
  "delete",
  "extra",
  "unknown"
]

/** Every (container, key) pair of a JSON value, the root's container being a wrapper. */
const slots = (root: { value: unknown }) => {
  const out: Array<readonly [Record<string, unknown> | Array<unknown>, string | number]> = [[root, "value"]]
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        out.push([value, i])
        walk(item)
      })
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        out.push([record, key])
        walk(record[key])
      }
    }
  }
  walk(root.value)
  return out
}

const mutate = (wire: unknown, picks: ReadonlyArray<readonly [number, Mutation]>): unknown => {
  const root = { value: structuredClone(wire) }
  for (const [pick, mutation] of picks) {
    const all = slots(root)
    const [container, key] = all[pick % all.length]!
    const target = container as Record<string | number, unknown>
    const current = target[key]
    switch (mutation) {
      case "null":
        target[key] = null
        break
      case "number":
        target[key] = typeof current === "number" ? String(current) : 42
        break
      case "string":
        target[key] = typeof current === "string" ? 7 : "text"
        break
      case "boolean":
        target[key] = typeof current === "boolean" ? "true" : true
        break
      case "object":
        target[key] = {}
        break
      case "array":
        target[key] = [current]
        break
      case "delete":
        if (Array.isArray(container)) container.splice(Number(key), 1)
        else delete target[key]
        break
      case "extra":
        if (typeof current === "object" && current !== null && !Array.isArray(current)) {
          ;(current as Record<string, unknown>)["added_since"] = { nested: [1, "x"] }
        } else {
          target[key] = current
        }
        break
      case "unknown":
        // an enum value or discriminator kind added since, or a string where an object was
        target[key] = "kind_added_since"
        break
    }
  }
  return root.value
}

const message = (result: Either.Either<unknown, ParseResult.ParseError>) =>
  Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : undefined

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

const models = Object.entries(Models).flatMap(([name, value]) =>
  Schema.isSchema(value) ? [[name, value as Schema.Schema.AnyNoContext] as const] : []
)
// the success schemas that are not a model themselves (arrays of users, once)
const seen = new Set<string>(models.map(([, schema]) => String(schema)))
const successes = Object.entries(Success).flatMap(([name, value]) => {
  if (!Schema.isSchema(value) || seen.has(String(value))) return []
  seen.add(String(value))
  return [[`Users.${name}`, value as Schema.Schema.AnyNoContext] as const]
})
const runs = Number(process.env["CODEC_RUNS"] ?? 10)

describe("compiled codecs decode exactly as the Schema", () => {
  it("covers every model", () => {
    expect(models.length).toBeGreaterThan(50)
  })

  for (const [name, schema] of [...models, ...successes]) {
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
