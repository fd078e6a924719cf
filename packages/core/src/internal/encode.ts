/**
 * Compiles a Schema's AST, once, into a specialised ENCODING function that gives exactly what
 * `Schema.encodeUnknown` gives on success, or `miss` where it cannot vouch for the result. The caller then falls back
 * to the Schema itself, so failures are always the Schema's own report. The decoding direction is `compile.ts`;
 * this module is separate so that an app that only decodes (the SDK's client) does not bundle it.
 *
 * What it mirrors from Effect 3's `ParseResult` (default parse options, encoding direction):
 * - keywords and literals: the same `typeof`/`===` checks (encoding checks the type side as decoding checks the
 *   encoded side);
 * - arrays (`TupleType` with one rest element): a new array, element by element;
 * - structs (`TypeLiteral` with property signatures): a new object, excess keys dropped, an optional key copied only
 *   when it is the input's own; `fromKey` renames (a `Transformation` whose property transformations are all
 *   identity renames) are fused into one pass, declared key → wire key, the keys in the wire struct's order (Effect
 *   validates the type side, renames, then encodes the wire side, whose declared order the output follows); unless
 *   a renamed field's wire key is also a declared key (`collides` in compile.ts);
 * - records (one `string` index signature): a copy of the input's own enumerable keys;
 * - unions: the same candidates in the same order as Effect's search tree (encoding side: the members' literal
 *   fields on the type side); a member that fails passes to the next, the first that encodes wins.
 * Effect encodes a renamed struct in two passes: the type side validated into a copy (excess keys dropped), then
 * that copy encoded. Where the copy could encode differently from the input (a union with struct members below
 * the field, whose choice can depend on a dropped key), the field takes the first pass too, compiled the same way.
 * Anything else (declarations, refinements, other transformations, annotated parse options) is encoded by the
 * Schema for that node alone, which is exact by construction; an object it gives back as another object is left to
 * the Schema (Effect's first pass might have handed it a copy).
 *
 * @internal
 */
import { identity } from "effect/Function"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { CodeGenerator } from "./codegen.js"
import { collides, miss } from "./compile.js"
import { searchTree, usableKey } from "./unionSearch.js"

/** @internal */
export type Encoder = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

const hasParseAnnotations = (ast: AST.AST) => ast.annotations[AST.ParseOptionsAnnotationId] !== undefined

/**
 * Inside the generated code a node's encoder answers the value, `fail` (the Schema fails on this input, for
 * certain) or `miss` (not vouched for: the Schema decides).
 */
const fail: unique symbol = Symbol.for("@effect-clerk/core/Codec/encodeFail")

interface Field {
  /** The key in the output (the wire's). */
  readonly wire: string
  /** The key in the input (the declared one). */
  readonly key: string
  readonly optional: boolean
  /** The wire side's type: what encodes the value. */
  readonly type: AST.AST
  /** The type side's type, when Effect first validates the value into a copy (a renamed struct's first pass). */
  readonly clean: AST.AST | undefined
}

/**
 * The struct fields of a node in output order, or `undefined` when it is not a plain or renamed struct. For a
 * renamed struct the output follows the wire struct's declared order; each field is read by its declared key.
 */
const fieldsOf = (ast: AST.AST): ReadonlyArray<Field> | undefined => {
  if (ast._tag === "TypeLiteral") {
    if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return undefined
    if (!ast.propertySignatures.every((ps) => usableKey(ps.name))) return undefined
    return ast.propertySignatures.map((ps) => ({
      wire: ps.name as string,
      key: ps.name as string,
      optional: ps.isOptional,
      type: ps.type,
      clean: undefined
    }))
  }
  if (ast._tag !== "Transformation") return undefined
  const { from, to, transformation } = ast
  if (transformation._tag !== "TypeLiteralTransformation") return undefined
  if (from._tag !== "TypeLiteral" || to._tag !== "TypeLiteral") return undefined
  if (hasParseAnnotations(from) || hasParseAnnotations(to)) return undefined
  if (from.indexSignatures.length > 0 || to.indexSignatures.length > 0) return undefined
  if (from.propertySignatures.length !== to.propertySignatures.length) return undefined
  const keyOf = new Map<PropertyKey, PropertyKey>()
  const renamed = new Set<PropertyKey>()
  for (const pst of transformation.propertySignatureTransformations) {
    if (pst.decode !== identity || pst.encode !== identity) return undefined
    // a key renamed twice, or renamed onto another declared key, is left to the Schema
    if (keyOf.has(pst.from) || renamed.has(pst.to)) return undefined
    keyOf.set(pst.from, pst.to)
    renamed.add(pst.to)
  }
  const fields: Array<Field> = []
  const used = new Set<PropertyKey>()
  for (const ps of from.propertySignatures) {
    const key = keyOf.get(ps.name) ?? ps.name
    if (!keyOf.has(ps.name) && renamed.has(key)) return undefined
    const target = to.propertySignatures.find((candidate) => candidate.name === key)
    if (target === undefined || target.isOptional !== ps.isOptional || used.has(key)) return undefined
    if (!usableKey(ps.name) || !usableKey(key)) return undefined
    used.add(key)
    fields.push({
      wire: ps.name as string,
      key: key as string,
      optional: ps.isOptional,
      type: ps.type,
      clean: target.type
    })
  }
  return collides(fields) ? undefined : fields
}

const isRecordIndex = (ast: AST.AST): ast is AST.TypeLiteral =>
  ast._tag === "TypeLiteral" && ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1 &&
  ast.indexSignatures[0]!.parameter._tag === "StringKeyword"

const isArray = (ast: AST.AST): ast is AST.TupleType =>
  ast._tag === "TupleType" && ast.elements.length === 0 && ast.rest.length === 1

const key = (name: string) => JSON.stringify(name)

/**
 * Whether Effect's first pass over a renamed struct's field (validating the value into a copy, excess keys dropped)
 * can change what the second pass gives: only through a union with a member that is not a keyword or literal,
 * whose choice of member can depend on keys the copy dropped (any member but a keyword or literal is taken to).
 * Elsewhere the second pass reads the declared keys
 * alone, so the copy and the input encode alike (fallback nodes answer only when that holds, see `body`).
 */
const needsClean = (ast: AST.AST, generator: Generator, seen = new Set<AST.AST>()): boolean => {
  if (seen.has(ast)) return false
  seen.add(ast)
  if (generator.test(ast, "u") !== undefined) return false
  if (hasParseAnnotations(ast)) return false
  const fields = fieldsOf(ast)
  if (fields !== undefined) return fields.some((field) => needsClean(field.type, generator, seen))
  if (isRecordIndex(ast)) return needsClean(ast.indexSignatures[0]!.type, generator, seen)
  if (isArray(ast)) return needsClean(ast.rest[0]!.type, generator, seen)
  if (ast._tag === "Union") return ast.types.some((member) => generator.test(member, "u") === undefined)
  return false
}

/** Builds the source: one function per struct, record, array and union; leaves inline. */
class Generator extends CodeGenerator {
  readonly side = "encoding"
  readonly prefix = "e"

  opaque(ast: AST.AST): boolean {
    return hasParseAnnotations(ast)
  }

  body(ast: AST.AST): string {
    const test = this.test(ast, "u")
    if (test !== undefined) return `return (${test}) ? u : fail;`
    if (!hasParseAnnotations(ast)) {
      const fields = fieldsOf(ast)
      if (fields !== undefined) return this.struct(fields)
      if (isRecordIndex(ast)) return this.record(ast.indexSignatures[0]!.type)
      if (isArray(ast)) return this.array(ast.rest[0]!.type)
      if (ast._tag === "Union") return this.union(ast)
    }
    const schema = this.dep(ParseResult.encodeUnknownEither(Schema.make(ast)))
    // an object given back as another object could have differed had Effect's first pass copied the input before
    // (see `needsClean`): left to the Schema; a primitive, or the input itself, reads the same either way
    return [
      `var r = ${schema}(u); if (r._tag !== "Right") return fail;`,
      `return typeof u !== "object" || u === null || r.right === u ? r.right : miss;`
    ].join("\n")
  }

  struct(fields: ReadonlyArray<Field>): string {
    const lines = [
      `if (typeof u !== "object" || u === null || Array.isArray(u)) return fail;`,
      // another prototype could serve keys the Schema reads as missing: left to the Schema
      `var p = getProto(u); if (p !== OP && p !== null) return miss;`,
      `var v${fields.map((_, i) => `, r${i}`).join("")}${
        fields.map((f, i) => (f.optional ? `, h${i} = false` : "")).join("")
      };`
    ]
    fields.forEach((field, i) => {
      const read = `v = u[${key(field.key)}]; `
      const clean = field.clean !== undefined && needsClean(field.type, this)
        ? `v = ${this.fn(field.clean)}(v); if (v === fail || v === miss) return v; `
        : ""
      const write = read + clean + this.convert(field.type, "v", `r${i}`)
      // as Effect does: an optional key counts only when it is the input's own (an inherited value, e.g. from a
      // polluted Object.prototype, is not copied); a required key is read as it comes, through the prototype too
      lines.push(
        field.optional ? `if (hasOwn.call(u, ${key(field.key)})) { ${write} h${i} = true; }` : write
      )
    })
    const optional = fields.flatMap((f, i) => (f.optional ? [`h${i}`] : []))
    const literal = `{ ${fields.map((f, i) => `${key(f.wire)}: r${i}`).join(", ")} }`
    if (optional.length === 0) {
      lines.push(`return ${literal};`)
    } else {
      lines.push(`if (${optional.join(" && ")}) return ${literal};`)
      lines.push(`var o = {};`)
      fields.forEach((f, i) =>
        lines.push(f.optional ? `if (h${i}) o[${key(f.wire)}] = r${i};` : `o[${key(f.wire)}] = r${i};`)
      )
      lines.push("return o;")
    }
    return lines.join("\n")
  }

  record(value: AST.AST): string {
    return [
      `if (typeof u !== "object" || u === null || Array.isArray(u)) return fail;`,
      `var p = getProto(u); if (p !== OP && p !== null) return miss;`,
      `var o = {}, ks = Object.keys(u), k, v, r;`,
      `for (var i = 0; i < ks.length; i++) {`,
      // assigning `__proto__` sets the prototype: left to the Schema
      `k = ks[i]; if (k === "__proto__") return miss; v = u[k]; ${this.convert(value, "v", "r")} o[k] = r;`,
      `}`,
      `return o;`
    ].join("\n")
  }

  array(item: AST.AST): string {
    return [
      `if (!Array.isArray(u)) return fail;`,
      `var n = u.length, o = [], v, r;`,
      `for (var i = 0; i < n; i++) { v = u[i]; ${this.convert(item, "v", "r")} o.push(r); }`,
      `return o;`
    ].join("\n")
  }

  union(ast: AST.Union): string {
    const tree = searchTree(ast.types, "encoding")
    const keyNames = Reflect.ownKeys(tree.keys)
    if (keyNames.length === 0) {
      const attempt = (member: AST.AST) => {
        const test = this.test(member, "u")
        return test !== undefined ? `if (${test}) return u;` : `r = ${this.fn(member)}(u); if (r !== fail) return r;`
      }
      return [`var r;`, ...tree.otherwise.map(attempt), `return fail;`].join("\n")
    }
    // members picked by their literal fields, as Effect's search tree does
    const index = new Map(ast.types.map((member, i) => [member, i]))
    const select = this.dep((u: unknown): ReadonlyArray<number> => {
      const out: Array<number> = []
      if (typeof u === "object" && u !== null) {
        for (const name of keyNames) {
          if (!hasOwn.call(u, name)) continue
          const buckets = tree.keys[name]!
          const hash = String((u as Record<PropertyKey, unknown>)[name])
          if (hasOwn.call(buckets, hash)) { for (const member of buckets[hash]!) out.push(index.get(member)!) }
        }
      }
      for (const member of tree.otherwise) out.push(index.get(member)!)
      return out
    })
    const members = `[${ast.types.map((member) => this.fn(member)).join(", ")}]`
    return [
      `var c = ${select}(u), m = ${members}, r;`,
      `for (var i = 0; i < c.length; i++) { r = m[c[i]](u); if (r !== fail) return r; }`,
      `return fail;`
    ].join("\n")
  }
}

const cache = new WeakMap<AST.AST, Encoder>()
const never: Encoder = () => miss

const generate = (ast: AST.AST): Encoder => {
  const generator = new Generator()
  const root = generator.fn(ast)
  const source = `"use strict";\n${generator.sources.join("\n")}\nreturn ${root};`
  try {
    const make = new Function("D", "fail", "miss", "hasOwn", "getProto", "OP", source) as (
      ...args: ReadonlyArray<unknown>
    ) => Encoder
    return make(generator.deps, fail, miss, hasOwn, Object.getPrototypeOf, Object.prototype)
  } catch {
    // `new Function` refused (Content-Security-Policy): the Schema encodes everything
    return never
  }
}

/**
 * The compiled encoder of `ast` (built once, then cached): the encoded value, or `miss`.
 *
 * @internal
 */
export const compileEncoder = (ast: AST.AST): Encoder => {
  const cached = cache.get(ast)
  if (cached !== undefined) return cached
  const root = generate(ast)
  const encoder: Encoder = (u) => {
    try {
      const encoded = root(u)
      return encoded === fail ? miss : encoded
    } catch {
      // a throwing getter or `toString` on the input: the Schema decides what happens
      return miss
    }
  }
  cache.set(ast, encoder)
  return encoder
}
