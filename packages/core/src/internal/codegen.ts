/**
 * What the compiled decoder (`compile.ts`) and encoder (`encode.ts`) generate alike: the dependency table, the
 * identity-after-a-check tests of keywords, literals and literal unions, and one named function per AST node. Each
 * direction adds how a node's function body is written (`body`).
 *
 * @internal
 */
import type * as AST from "effect/SchemaAST"
import { searchTree, type Side } from "./unionSearch.js"

/** @internal */
export abstract class CodeGenerator {
  readonly sources: Array<string> = []
  readonly deps: Array<unknown> = []
  readonly names = new Map<AST.AST, string>()

  /** The direction: which side of the AST a union's literals are read on. */
  abstract readonly side: Side
  /** The generated functions' name prefix. */
  abstract readonly prefix: string
  /** A node the generated code leaves to the Schema (annotated parse options). */
  abstract opaque(ast: AST.AST): boolean
  /** The body of the generated function for `ast` (input `u`), returning the value, `fail` or `miss`. */
  abstract body(ast: AST.AST): string

  dep(value: unknown): string {
    this.deps.push(value)
    return `D[${this.deps.length - 1}]`
  }

  /** A boolean expression on `x` for nodes whose conversion is the identity after a check, else `undefined`. */
  test(ast: AST.AST, x: string): string | undefined {
    if (this.opaque(ast)) return undefined
    switch (ast._tag) {
      case "StringKeyword":
        return `typeof ${x} === "string"`
      case "NumberKeyword":
        return `typeof ${x} === "number"`
      case "BooleanKeyword":
        return `typeof ${x} === "boolean"`
      case "UndefinedKeyword":
        return `${x} === undefined`
      case "UnknownKeyword":
      case "AnyKeyword":
        return "true"
      case "Literal":
        return typeof ast.literal === "bigint" || (typeof ast.literal === "number" && !Number.isFinite(ast.literal))
          ? undefined
          : `${x} === ${JSON.stringify(ast.literal)}`
      case "Union": {
        if (Reflect.ownKeys(searchTree(ast.types, this.side).keys).length > 0) return undefined
        const tests = ast.types.map((member) => this.test(member, x))
        return tests.every((t) => t !== undefined) ? `(${tests.join(" || ")})` : undefined
      }
    }
    return undefined
  }

  /** Statements converting `x` into `out`, returning `fail`/`miss` from the enclosing function when it does not. */
  convert(ast: AST.AST, x: string, out: string): string {
    const test = this.test(ast, x)
    if (test !== undefined) return test === "true" ? `${out} = ${x};` : `if (!(${test})) return fail; ${out} = ${x};`
    return `${out} = ${this.fn(ast)}(${x}); if (${out} === fail || ${out} === miss) return ${out};`
  }

  /** The name of the generated function converting `ast`. */
  fn(ast: AST.AST): string {
    const known = this.names.get(ast)
    if (known !== undefined) return known
    const name = `${this.prefix}${this.names.size}`
    this.names.set(ast, name)
    this.sources.push(`function ${name}(u) {\n${this.body(ast)}\n}`)
    return name
  }
}
