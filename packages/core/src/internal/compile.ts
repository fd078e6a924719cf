/**
 * Compiles a Schema's AST, once, into a specialised decoding function that gives exactly what
 * `Schema.decodeUnknown` gives on success, or `miss` where it cannot vouch for the result (any mismatch, any shape
 * it does not handle). The caller then falls back to the Schema itself, so failures are always the Schema's report.
 *
 * The function is generated source (`new Function`): straight-line property reads and writes that V8 optimises like
 * hand-written code. Keys enter the source only through `JSON.stringify`. Where a runtime forbids `new Function`
 * (a strict Content-Security-Policy), nothing is compiled and the Schema decodes as before.
 *
 * What it mirrors from Effect 3's `ParseResult` (default parse options, decoding direction):
 * - keywords and literals: the same `typeof`/`===` checks;
 * - arrays (`TupleType` with one rest element): a new array, element by element;
 * - structs (`TypeLiteral` with property signatures): a new object in the declared key order, excess keys
 *   ignored, an optional key copied only when it is the input's own; `fromKey` renames (a `Transformation` whose
 *   property transformations are all identity renames) are fused into one pass, wire key → declared key, unless
 *   a renamed field's wire key is also a declared key (`collides`: Effect's key-by-key renames then differ);
 * - records (one `string` index signature): a copy of the input's own enumerable keys;
 * - unions: the same candidates in the same order as Effect's search tree (members whose required literal
 *   fields match the input's values, then members without literals); a member that fails for certain (`fail`)
 *   passes to the next, the first that decodes wins, and one that cannot be vouched for ends with `miss`; an
 *   object the union's type side (which every enclosing transformation re-validates) could give to another member
 *   also ends with `miss`;
 * Anything else (declarations, refinements, other transformations, annotated parse options) is decoded by the
 * Schema for that node alone, which is exact by construction.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { CodeGenerator } from "./codegen.js"
import { searchTree, usableKey } from "./unionSearch.js"

/** @internal */
export const miss: unique symbol = Symbol.for("@effect-clerk/core/Codec/miss")

const hasParseAnnotations = (ast: AST.AST) =>
  ast.annotations[AST.ParseOptionsAnnotationId] !== undefined ||
  ast.annotations[AST.DecodingFallbackAnnotationId] !== undefined

/**
 * Inside the generated code a node's decoder answers the value, `fail` (the Schema fails on this input, for
 * certain) or `miss` (not vouched for: the Schema decides).
 */
const fail: unique symbol = Symbol.for("@effect-clerk/core/Codec/fail")

/** @internal */
export type Decoder = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

interface Field {
  readonly wire: string
  readonly key: string
  readonly optional: boolean
  readonly type: AST.AST
}

/** The struct fields of a node, wire key → declared key, or `undefined` when it is not a plain or renamed struct. */
const fieldsOf = (ast: AST.AST): ReadonlyArray<Field> | undefined => {
  if (ast._tag === "TypeLiteral") {
    if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return undefined
    if (!ast.propertySignatures.every((ps) => usableKey(ps.name))) return undefined
    return ast.propertySignatures.map((ps) => ({
      wire: ps.name as string,
      key: ps.name as string,
      optional: ps.isOptional,
      type: ps.type
    }))
  }
  if (ast._tag !== "Transformation") return undefined
  const { from, to, transformation } = ast
  if (transformation._tag !== "TypeLiteralTransformation") return undefined
  if (from._tag !== "TypeLiteral" || to._tag !== "TypeLiteral") return undefined
  if (from.indexSignatures.length > 0 || to.indexSignatures.length > 0) return undefined
  if (from.propertySignatures.length !== to.propertySignatures.length) return undefined
  const wireOf = new Map<PropertyKey, PropertyKey>()
  for (const pst of transformation.propertySignatureTransformations) {
    if (pst.decode !== identity || pst.encode !== identity) return undefined
    wireOf.set(pst.to, pst.from)
  }
  const fields: Array<Field> = []
  for (const ps of to.propertySignatures) {
    const wire = wireOf.get(ps.name) ?? ps.name
    const source = from.propertySignatures.find((candidate) => candidate.name === wire)
    if (source === undefined || source.isOptional !== ps.isOptional) return undefined
    if (!usableKey(wire) || !usableKey(ps.name)) return undefined
    fields.push({ wire, key: ps.name, optional: ps.isOptional, type: source.type })
  }
  return collides(fields) ? undefined : fields
}

/**
 * Whether a renamed field is read from a key that is also a field's declared key. Effect renames one key at a time,
 * in declaration order, on one object (read the wire key, delete it, write the declared key), so such a rename
 * reads or deletes what another rename wrote (`{ id ← user_id, legacyId ← id }` fails: `legacyId` takes the
 * `user_id` value and `id` is then missing), or not, depending on the order. The compiled single pass reads every
 * wire key of the input: such a struct is left to the Schema. Shared with the encoder (the same sets, read the
 * other way).
 *
 * @internal
 */
export const collides = (fields: ReadonlyArray<{ readonly wire: string; readonly key: string }>): boolean => {
  const declared = new Set(fields.map((field) => field.key))
  return fields.some((field) => field.wire !== field.key && declared.has(field.wire))
}

const isRecordIndex = (ast: AST.AST): ast is AST.TypeLiteral =>
  ast._tag === "TypeLiteral" && ast.propertySignatures.length === 0 && ast.indexSignatures.length === 1 &&
  ast.indexSignatures[0]!.parameter._tag === "StringKeyword"

const isArray = (ast: AST.AST): ast is AST.TupleType =>
  ast._tag === "TupleType" && ast.elements.length === 0 && ast.rest.length === 1

const key = (name: string) => JSON.stringify(name)

/** Builds the source: one function per struct, record, array and union; leaves inline. */
class Generator extends CodeGenerator {
  readonly side = "decoding"
  readonly prefix = "d"

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
    const schema = this.dep(ParseResult.decodeUnknownEither(Schema.make(ast)))
    return `var r = ${schema}(u); return r._tag === "Right" ? r.right : fail;`
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
      const read = `v = u[${key(field.wire)}];`
      const write = this.convert(field.type, "v", `r${i}`)
      // as Effect does: an optional key counts only when it is the input's own (an inherited value, e.g. from a
      // polluted Object.prototype, is not copied); a required key is read as it comes, through the prototype too
      lines.push(
        field.optional ? `if (hasOwn.call(u, ${key(field.wire)})) { ${read} ${write} h${i} = true; }` : read + write
      )
    })
    const optional = fields.flatMap((f, i) => (f.optional ? [`h${i}`] : []))
    // every key present (Clerk sends them all): one object literal, in the declared order
    const literal = `{ ${fields.map((f, i) => `${key(f.key)}: r${i}`).join(", ")} }`
    if (optional.length === 0) {
      lines.push(`return ${literal};`)
    } else {
      lines.push(`if (${optional.join(" && ")}) return ${literal};`)
      lines.push(`var o = {};`)
      fields.forEach((f, i) =>
        lines.push(f.optional ? `if (h${i}) o[${key(f.key)}] = r${i};` : `o[${key(f.key)}] = r${i};`)
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
      // assigning `__proto__` sets the prototype, which the Schema's second pass then drops: left to the Schema
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
    const tree = searchTree(ast.types, "decoding")
    const agrees = this.typeSideAgrees(ast)
    const won = (r: string, member: string) =>
      agrees === undefined ? `return ${r};` : `return ${agrees}(${member}, ${r}) ? ${r} : miss;`
    const attempt = (member: AST.AST) => {
      const test = this.test(member, "u")
      return test !== undefined
        ? `if (${test}) return u;`
        : `r = ${this.fn(member)}(u); if (r !== fail) { ${won("r", String(ast.types.indexOf(member)))} }`
    }
    if (Reflect.ownKeys(tree.keys).length === 0) {
      return [`var r;`, ...tree.otherwise.map(attempt), `return fail;`].join("\n")
    }
    // members picked by their literal fields, as Effect's search tree does
    const index = new Map(ast.types.map((member, i) => [member, i]))
    const select = this.dep((u: unknown): ReadonlyArray<number> => candidates(tree, u).map((m) => index.get(m)!))
    const members = `[${ast.types.map((member) => this.fn(member)).join(", ")}]`
    return [
      `var c = ${select}(u), m = ${members}, r;`,
      `for (var i = 0; i < c.length; i++) { r = m[c[i]](u); if (r !== fail) { ${won("r", "c[i]")} } }`,
      `return fail;`
    ].join("\n")
  }

  /**
   * Effect re-validates a decoded value against the type side of every enclosing transformation (a renamed struct's
   * fields included): there a union's value goes to the first *type* member that validates it and is rebuilt in that
   * member's key order, possibly another member than the one that decoded it (a value failing member 0 on the wire
   * but decoded by member 1 can pass member 0's type, whose keys are all optional). The check answers whether the
   * type side picks the member that decoded `r`; when it may not, the caller answers `miss` and the Schema decides.
   * Only objects can be rebuilt, so unions with fewer than two members taking objects need no check.
   */
  typeSideAgrees(ast: AST.Union): string | undefined {
    const types = ast.types.map((member) => AST.typeAST(member))
    if (types.filter(takesObjects).length < 2) return undefined
    const tree = searchTree(types, "decoding")
    const keyNames = Reflect.ownKeys(tree.keys)
    const validates = new Map<AST.AST, (r: unknown) => boolean>()
    for (const type of types) if (!validates.has(type)) validates.set(type, validator(type))
    // undefined: not decided by these candidates; true: `mine` comes first; false: another type takes `r` first
    const first = (list: ReadonlyArray<AST.AST>, mine: AST.AST, r: unknown): boolean | undefined => {
      for (const type of list) {
        if (type === mine) return true
        if (validates.get(type)!(r)) return false
      }
      return undefined
    }
    return this.dep((member: number, r: unknown): boolean => {
      if (typeof r !== "object" || r === null) return true
      const mine = types[member]!
      for (const name of keyNames) {
        if (!hasOwn.call(r, name)) continue
        const buckets = tree.keys[name]!
        const hash = String((r as Record<PropertyKey, unknown>)[name])
        const answer = hasOwn.call(buckets, hash) ? first(buckets[hash]!, mine, r) : undefined
        if (answer !== undefined) return answer
      }
      return first(tree.otherwise, mine, r) ?? false
    })
  }
}

/**
 * Whether a type validates a value, as the Schema's `validateEither`: compiled (a type side decodes as it validates),
 * asking the Schema only where the compiled path cannot vouch. Built on first use: a type's own unions build theirs
 * only then, so compiling never recurses into itself.
 */
const validator = (type: AST.AST): (r: unknown) => boolean => {
  let check: ((r: unknown) => boolean) | undefined
  return (r) => {
    if (check === undefined) {
      const root = generate(type)
      const slow = ParseResult.validateEither(Schema.make(type))
      check = (value) => {
        let answer: unknown
        try {
          answer = root(value)
        } catch {
          answer = miss
        }
        return answer === fail ? false : answer === miss ? Either.isRight(slow(value)) : true
      }
    }
    return check(r)
  }
}

/** The members Effect's union parser tries for `u`, in its order: those its literal fields select, then the rest. */
const candidates = (tree: ReturnType<typeof searchTree>, u: unknown): ReadonlyArray<AST.AST> => {
  const out: Array<AST.AST> = []
  if (typeof u === "object" && u !== null) {
    for (const name of Reflect.ownKeys(tree.keys)) {
      if (!hasOwn.call(u, name)) continue
      const buckets = tree.keys[name]!
      const hash = String((u as Record<PropertyKey, unknown>)[name])
      if (hasOwn.call(buckets, hash)) out.push(...buckets[hash]!)
    }
  }
  out.push(...tree.otherwise)
  return out
}

/** Whether a type could hold an object (only then can a union's type side rebuild a value another way). */
const takesObjects = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "BigIntKeyword":
    case "SymbolKeyword":
    case "UndefinedKeyword":
    case "VoidKeyword":
    case "NeverKeyword":
    case "Literal":
    case "UniqueSymbol":
    case "TemplateLiteral":
    case "Enums":
      return false
    case "Refinement":
      return takesObjects(ast.from)
    case "Union":
      return ast.types.some(takesObjects)
    default:
      return true
  }
}

const cache = new WeakMap<AST.AST, Decoder>()
const never: Decoder = () => miss

const generate = (ast: AST.AST): Decoder => {
  const generator = new Generator()
  const root = generator.fn(ast)
  const source = `"use strict";\n${generator.sources.join("\n")}\nreturn ${root};`
  try {
    const make = new Function("D", "fail", "miss", "hasOwn", "getProto", "OP", source) as (
      ...args: ReadonlyArray<unknown>
    ) => Decoder
    return make(generator.deps, fail, miss, hasOwn, Object.getPrototypeOf, Object.prototype)
  } catch {
    // `new Function` refused (Content-Security-Policy): the Schema decodes everything
    return never
  }
}

/**
 * The compiled decoder of `ast` (built once, then cached): the decoded value, or `miss`.
 *
 * @internal
 */
export const compile = (ast: AST.AST): Decoder => {
  const cached = cache.get(ast)
  if (cached !== undefined) return cached
  const root = generate(ast)
  const decoder: Decoder = (u) => {
    try {
      const decoded = root(u)
      return decoded === fail ? miss : decoded
    } catch {
      // a throwing getter or `toString` on the input: the Schema decides what happens
      return miss
    }
  }
  cache.set(ast, decoder)
  return decoder
}
