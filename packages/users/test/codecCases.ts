/**
 * What the compiled-codec equivalence tests share: a structural comparison that sees key order and prototypes, and
 * mutations of a value (wrong types, missing fields, nulls, extra fields, unknown enum values and kinds), the
 * Schema's error message, and the schemas under test (every model, and the success schemas that are not one).
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import { Models } from "../src/index.js"
import * as Success from "../src/internal/success.js"
/** The path of the first difference between two values (keys, key order, prototypes, values), or `undefined`. */
export const difference = (a: unknown, b: unknown, path = "$"): string | undefined => {
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

export type Mutation = "null" | "number" | "string" | "boolean" | "object" | "array" | "delete" | "extra" | "unknown"
export const mutations: ReadonlyArray<Mutation> = [
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

export const mutate = (wire: unknown, picks: ReadonlyArray<readonly [number, Mutation]>): unknown => {
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

export const message = (result: Either.Either<unknown, ParseResult.ParseError>) =>
  Either.isLeft(result) ? ParseResult.TreeFormatter.formatErrorSync(result.left) : undefined

export const models = Object.entries(Models).flatMap(([name, value]) =>
  Schema.isSchema(value) ? [[name, value as Schema.Schema.AnyNoContext] as const] : []
)
// the success schemas that are not a model themselves (arrays of users, once)
const seen = new Set<string>(models.map(([, schema]) => String(schema)))
const successes = Object.entries(Success).flatMap(([name, value]) => {
  if (!Schema.isSchema(value) || seen.has(String(value))) return []
  seen.add(String(value))
  return [[`Users.${name}`, value as Schema.Schema.AnyNoContext] as const]
})
export const runs = Number(process.env["CODEC_RUNS"] ?? 10)

export const schemas = [...models, ...successes]

/** The optional keys of an AST (a schema's wire side or type side), at any depth. */
export const optionalKeys = (ast: AST.AST, out = new Set<string>(), seen = new Set<AST.AST>()): Set<string> => {
  if (seen.has(ast)) return out
  seen.add(ast)
  switch (ast._tag) {
    case "TypeLiteral":
      for (const ps of ast.propertySignatures) {
        if (ps.isOptional && typeof ps.name === "string") out.add(ps.name)
        optionalKeys(ps.type, out, seen)
      }
      for (const index of ast.indexSignatures) optionalKeys(index.type, out, seen)
      break
    case "Union":
      for (const member of ast.types) optionalKeys(member, out, seen)
      break
    case "TupleType":
      for (const element of [...ast.elements, ...ast.rest]) optionalKeys(element.type, out, seen)
      break
    case "Suspend":
      optionalKeys(ast.f(), out, seen)
      break
    case "Refinement":
    case "Transformation":
      optionalKeys(ast.from, out, seen)
      break
  }
  return out
}
