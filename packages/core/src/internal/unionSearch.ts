/**
 * Effect 3's union search tree (`ParseResult`'s `getLiterals` / `getSearchTree`), shared by the compiled decoder
 * (`compile.ts`) and encoder (`encode.ts`): which members of a union are candidates for an input, in the order
 * Effect tries them. The two directions differ only in which side of the AST holds the literals: the encoded side
 * when decoding, the type side when encoding.
 *
 * @internal
 */
import * as AST from "effect/SchemaAST"

/** @internal */
export type Side = "decoding" | "encoding"

const hasOwn = Object.prototype.hasOwnProperty

/** @internal A property name a generated struct may read and write as is. */
export const usableKey = (name: PropertyKey): name is string =>
  typeof name === "string" && name !== "__proto__" && !(name in Object.prototype)

/** Effect's `getLiterals`: the required literal-valued properties of a union member, on `side`. */
const literalsOf = (ast: AST.AST, side: Side): ReadonlyArray<readonly [PropertyKey, AST.Literal]> => {
  const sideOf = side === "decoding" ? AST.encodedAST : AST.typeAST
  switch (ast._tag) {
    case "Declaration": {
      const annotation = AST.getSurrogateAnnotation(ast)
      return annotation._tag === "Some" ? literalsOf(annotation.value, side) : []
    }
    case "TypeLiteral": {
      const out: Array<readonly [PropertyKey, AST.Literal]> = []
      for (const ps of ast.propertySignatures) {
        const type = sideOf(ps.type)
        if (AST.isLiteral(type) && !ps.isOptional) out.push([ps.name, type])
      }
      return out
    }
    case "TupleType": {
      const out: Array<readonly [PropertyKey, AST.Literal]> = []
      ast.elements.forEach((element, i) => {
        const type = sideOf(element.type)
        if (AST.isLiteral(type) && !element.isOptional) out.push([i, type])
      })
      return out
    }
    case "Refinement":
      return literalsOf(ast.from, side)
    case "Suspend":
      return literalsOf(ast.f(), side)
    case "Transformation":
      return literalsOf(side === "decoding" ? ast.from : ast.to, side)
  }
  return []
}

/** @internal Effect's `getSearchTree`: members bucketed by their literals' values, and the members without. */
export const searchTree = (members: ReadonlyArray<AST.AST>, side: Side) => {
  const keys: Record<PropertyKey, Record<string, Array<AST.AST>>> = {}
  const otherwise: Array<AST.AST> = []
  for (const member of members) {
    const tags = literalsOf(member, side)
    if (tags.length === 0) {
      otherwise.push(member)
      continue
    }
    for (let j = 0; j < tags.length; j++) {
      const [key, literal] = tags[j]!
      const hash = String(literal.literal)
      const buckets = keys[key] ?? (keys[key] = {})
      if (hasOwn.call(buckets, hash)) {
        if (j < tags.length - 1) continue
        buckets[hash]!.push(member)
      } else {
        buckets[hash] = [member]
        break
      }
    }
  }
  return { keys, otherwise }
}
