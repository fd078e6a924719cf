/**
 * Bounds what a `ParseError`'s report shows of the values it failed on. The Schema's formatters print an issue's
 * `actual` with `Inspectable.formatUnknown`, which recurses once per level of nesting: a value nested a few thousand
 * levels deep (`"[".repeat(3000) + "]".repeat(3000)` is 6 KB of JSON) overflows the stack while the report is
 * made, so a failure would become a `RangeError` defect. `boundError` leaves an error whose values nest at most
 * `maxDepth` levels as it is (the usual case: the report is the Schema's, byte for byte) and otherwise rebuilds its
 * issues with copies of the values cut at `maxDepth` levels (`[…]` / `{…}` in the report), so the report keeps the
 * Schema's own wording. It walks the values without recursion (the copy recurses at most `maxDepth` levels) and each
 * distinct object once, in the formatter's order.
 *
 * @internal
 */
import * as ParseResult from "effect/ParseResult"

/** The deepest nesting of a value a report shows. */
export const maxDepth = 32

/** A value standing in for what the report leaves out: the formatter prints its `toString()` as is. */
class Shown {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const elidedArray = new Shown("[…]")
const elidedObject = new Shown("{…}")

/** Whether the formatter prints `value` by its own `toString` (and so does not look inside, but for an `Error`'s `cause`). */
const printsItself = (value: object): boolean => {
  const toString: unknown = Reflect.get(value, "toString")
  return typeof toString === "function" && toString !== Object.prototype.toString &&
    toString !== Array.prototype.toString
}

/** The values the formatter prints inside `value`, in its order. */
const children = (value: object): ReadonlyArray<unknown> => {
  if (Array.isArray(value)) return Array.from(value)
  if (value instanceof Date) return []
  if (printsItself(value)) return value instanceof Error && value.cause ? [value.cause] : []
  if (value instanceof Set || value instanceof Map) return [Array.from(value)]
  return Reflect.ownKeys(value).map((key) => Reflect.get(value, key))
}

/** Whether printing `value` nests deeper than `maxDepth` (a value that throws when read counts as deep). */
const tooDeep = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null) return false
  const seen = new Set<object>()
  const stack: Array<readonly [unknown, number]> = [[value, 0]]
  try {
    while (stack.length > 0) {
      const [current, depth] = stack.pop()!
      if (typeof current !== "object" || current === null || seen.has(current)) continue
      if (depth >= maxDepth) return true
      seen.add(current)
      const inside = children(current)
      // pushed last to first: taken first to last, the formatter's order, so each object counts at the depth the
      // formatter first meets it (later meetings print as `[Circular]`)
      for (let i = inside.length - 1; i >= 0; i--) stack.push([inside[i], depth + 1])
    }
    return false
  } catch {
    return true
  }
}

/** A copy of `value` that prints as `value` does down to `maxDepth` levels, and `[…]`/`{…}` below. */
const cut = (value: unknown, depth: number, copies: Map<object, unknown>): unknown => {
  if (typeof value !== "object" || value === null) return value
  const known = copies.get(value)
  if (known !== undefined) return known
  if (depth >= maxDepth) return Array.isArray(value) ? elidedArray : elidedObject
  if (Array.isArray(value)) {
    const out: Array<unknown> = []
    copies.set(value, out)
    for (let i = 0; i < value.length; i++) out.push(cut(value[i], depth + 1, copies))
    return out
  }
  if (value instanceof Date) return value
  if (printsItself(value)) {
    if (!(value instanceof Error && value.cause)) return value
    // printed as `${toString()} (cause: ${cause})`: a copy with the same prototype, text and a cut cause
    const text = String(value)
    const error: object = Object.create(Object.getPrototypeOf(value))
    copies.set(value, error)
    Object.defineProperties(error, {
      toString: { value: () => text },
      cause: { value: cut(value.cause, depth + 1, copies) }
    })
    return error
  }
  if (value instanceof Map) {
    const map = new Map<unknown, unknown>()
    copies.set(value, map)
    for (const [k, v] of value) map.set(cut(k, depth + 2, copies), cut(v, depth + 2, copies))
    return map
  }
  if (value instanceof Set) {
    const set = new Set<unknown>()
    copies.set(value, set)
    for (const item of value) set.add(cut(item, depth + 1, copies))
    return set
  }
  const out: object = Object.create(Object.getPrototypeOf(value))
  copies.set(value, out)
  for (const key of Reflect.ownKeys(value)) {
    const item = cut(Reflect.get(value, key), depth + 1, copies)
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
  }
  return out
}

const bounded = (value: unknown): unknown => {
  if (!tooDeep(value)) return value
  try {
    return cut(value, 0, new Map())
  } catch {
    return new Shown("<a value that could not be read>")
  }
}

/** `issue` itself when no value in it is cut, else a copy holding the cut values. */
const boundIssue = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue => {
  if (issue._tag === "Missing") return issue
  const actual = bounded(issue.actual)
  switch (issue._tag) {
    case "Type":
      return actual === issue.actual ? issue : new ParseResult.Type(issue.ast, actual, issue.message)
    case "Forbidden":
      return actual === issue.actual ? issue : new ParseResult.Forbidden(issue.ast, actual, issue.message)
    case "Unexpected":
      return actual === issue.actual ? issue : new ParseResult.Unexpected(actual, issue.message)
    case "Pointer": {
      const inner = boundIssue(issue.issue)
      return actual === issue.actual && inner === issue.issue
        ? issue
        : new ParseResult.Pointer(issue.path, actual, inner)
    }
    case "Refinement": {
      const inner = boundIssue(issue.issue)
      return actual === issue.actual && inner === issue.issue
        ? issue
        : new ParseResult.Refinement(issue.ast, actual, issue.kind, inner)
    }
    case "Transformation": {
      const inner = boundIssue(issue.issue)
      return actual === issue.actual && inner === issue.issue
        ? issue
        : new ParseResult.Transformation(issue.ast, actual, issue.kind, inner)
    }
    case "Composite": {
      const issues = issue.issues
      if (!isIssueList(issues)) {
        const inner = boundIssue(issues)
        return actual === issue.actual && inner === issues
          ? issue
          : new ParseResult.Composite(issue.ast, actual, inner, issue.output)
      }
      const inner = issues.map(boundIssue)
      return actual === issue.actual && inner.every((item, i) => item === issues[i])
        ? issue
        : new ParseResult.Composite(issue.ast, actual, [inner[0]!, ...inner.slice(1)], issue.output)
    }
  }
}

const isIssueList = (
  issues: ParseResult.SingleOrNonEmpty<ParseResult.ParseIssue>
): issues is readonly [ParseResult.ParseIssue, ...Array<ParseResult.ParseIssue>] => Array.isArray(issues)

/** Errors already bounded (made or checked here): not walked again. */
const checked = new WeakSet<ParseResult.ParseError>()

/**
 * `error` itself when every value its issues hold nests at most `maxDepth` levels, else the same issues holding
 * copies cut at that depth: its report (`message`, `TreeFormatter`, `ArrayFormatter`) can always be made.
 *
 * @internal
 */
export const boundError = (error: ParseResult.ParseError): ParseResult.ParseError => {
  if (checked.has(error)) return error
  let issue: ParseResult.ParseIssue
  try {
    issue = boundIssue(error.issue)
  } catch {
    // an issue tree deeper than any stack (a recursive schema): the formatter's caller guards its own call
    return error
  }
  const out = issue === error.issue ? error : new ParseResult.ParseError({ issue })
  checked.add(out)
  return out
}
