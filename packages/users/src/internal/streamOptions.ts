import { InvalidInput } from "@effect-clerk/core/ClerkError"
import * as Pagination from "@effect-clerk/core/Pagination"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** The keys a stream sets itself: never taken from the caller. */
const pagingKeys = ["limit", "offset", "startingAfter"]

const kindOf = (value: object): string => {
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return tag === "Object" ? "an instance of a class" : `a ${tag}`
}

const describe = (value: unknown): string =>
  typeof value === "number" ? String(value) : typeof value === "string" ? JSON.stringify(value) : typeof value

/**
 * Reads a stream's options, inside an Effect (never when the stream is built): a plain object (not an array, a `Map`,
 * a `Date` or a class instance),
 * `pageSize` an integer from 1 to `Pagination.maxPageSize` (500 when absent; no coercion), and every other key a
 * filter that the operation's own query schema accepts, unknown keys refused. The filters come back as a copy, so a
 * getter or Proxy is read once. Anything else fails with `InvalidInput` naming the option.
 *
 * @internal
 */
export const streamOptions = <Filters, I>(
  operation: string,
  query: Schema.Schema<Filters, I>,
  options: unknown
): Effect.Effect<{ readonly pageSize: number; readonly filters: Filters }, InvalidInput> => {
  const invalid = (message: string) => new InvalidInput({ operation, message: `${operation}: ${message}` })
  return Effect.gen(function*() {
    if (typeof options !== "object" || options === null || Array.isArray(options)) {
      return yield* invalid(
        `options must be an object, got ${
          options === null ? "null" : Array.isArray(options) ? "an array" : typeof options
        }`
      )
    }
    const proto: unknown = Object.getPrototypeOf(options)
    if (proto !== Object.prototype && proto !== null) {
      return yield* invalid(`options must be a plain object, got ${kindOf(options)}`)
    }
    const { pageSize = Pagination.maxPageSize, ...rest }: Record<PropertyKey, unknown> = { ...options }
    if (
      typeof pageSize !== "number" || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > Pagination.maxPageSize
    ) {
      return yield* invalid(
        `pageSize must be an integer from 1 to ${Pagination.maxPageSize}, got ${describe(pageSize)}`
      )
    }
    const paging = pagingKeys.find((key) => Object.hasOwn(rest, key))
    if (paging !== undefined) return yield* invalid(`${paging} is set by the stream itself; use pageSize`)
    const filters = yield* Schema.validate(Schema.typeSchema(query), { onExcessProperty: "error" })(rest).pipe(
      Effect.mapError((error) => invalid(`invalid options: ${ParseResult.TreeFormatter.formatErrorSync(error)}`))
    )
    return { pageSize, filters }
  }).pipe(
    Effect.catchAllDefect((defect) =>
      Effect.fail(
        invalid(`the options could not be read (${defect instanceof Error ? defect.message : typeof defect})`)
      )
    )
  )
}
