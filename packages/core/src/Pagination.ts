/**
 * Pagination primitives: turn a page-fetching effect into a lazy `Stream` of items, one request per page, pulled
 * only when the consumer needs more (bounded memory: one page at a time).
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { DecodeError } from "./ClerkError.js"

/**
 * Clerk's largest page.
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-clerk/core"
 * console.log(Pagination.maxPageSize) // 500
 * ```
 * @since 0.1.0
 * @category constants
 */
export const maxPageSize = 500

/** Adds the page's keys to `seen`; false when the page has items and every one was seen before (no progress). */
const addedAny = <A>(seen: Set<string>, page: ReadonlyArray<A>, keyOf: (item: A) => string): boolean => {
  let added = page.length === 0
  for (const item of page) {
    const key = keyOf(item)
    if (!seen.has(key)) {
      seen.add(key)
      added = true
    }
  }
  return added
}

const noProgress = (operation: string, what: string) =>
  new DecodeError({
    status: 200,
    operation,
    message: `${operation}: pagination makes no progress: ${what} (the server ignores the paging parameter)`,
    excerpt: ""
  })

/**
 * Streams every item of a list paged by `offset`: stops on a short page, or once `totalCount` (when the page
 * reports one) is reached. With `keyOf`, a page all of whose items were already streamed (a server that ignores
 * `offset`, or alternates pages) fails the stream with `DecodeError` instead of repeating forever; the keys seen are
 * kept for the whole stream (one string per item).
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-clerk/core"
 * import { Effect } from "effect"
 * const numbers = Pagination.offsetStream(2, ({ limit, offset }) =>
 *   Effect.succeed({ data: [offset, offset + 1].filter((n) => n < 5).slice(0, limit), totalCount: 5 })
 * )
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const offsetStream = <A, E, R>(
  pageSize: number,
  fetch: (page: { readonly limit: number; readonly offset: number }) => Effect.Effect<
    { readonly data: ReadonlyArray<A>; readonly totalCount?: number | undefined },
    E,
    R
  >,
  startOffset = 0,
  options: { readonly keyOf?: ((item: A) => string) | undefined; readonly operation?: string | undefined } = {}
): Stream.Stream<A, E | DecodeError, R> => {
  const { keyOf, operation = "Pagination.offsetStream" } = options
  return Stream.suspend(() => {
    const seen = new Set<string>()
    return Stream.paginateChunkEffect(
      startOffset,
      (offset) =>
        Effect.flatMap(fetch({ limit: pageSize, offset }), (page) => {
          if (keyOf !== undefined && !addedAny(seen, page.data, keyOf)) {
            return Effect.fail(noProgress(operation, `every item of the page at offset ${offset} was already streamed`))
          }
          const next = offset + page.data.length
          const done = page.data.length < pageSize || (page.totalCount !== undefined && next >= page.totalCount)
          return Effect.succeed([Chunk.fromIterable(page.data), done ? Option.none() : Option.some(next)] as const)
        })
    )
  })
}

/**
 * Streams every item of a list paged by cursor: each request passes the id of the last item seen; stops on a short
 * page. A cursor seen before, or a page all of whose items were already streamed (a server that ignores
 * `startingAfter`, or pages that cycle or alternate), fails the stream with `DecodeError` at once instead of looping
 * forever; the ids seen are kept for the whole stream (one string per item).
 *
 * @example
 * ```ts
 * import { Pagination } from "@effect-clerk/core"
 * import { Effect } from "effect"
 * const ids = Pagination.cursorStream(100, (item: { readonly id: string }) => item.id, ({ startingAfter }) =>
 *   Effect.succeed(startingAfter === undefined ? [{ id: "a" }] : [])
 * )
 * ```
 * @since 0.1.0
 * @category constructors
 */
export const cursorStream = <A, E, R>(
  pageSize: number,
  cursorOf: (item: A) => string,
  fetch: (page: { readonly limit: number; readonly startingAfter: string | undefined }) => Effect.Effect<
    ReadonlyArray<A>,
    E,
    R
  >,
  options: { readonly operation?: string | undefined } = {}
): Stream.Stream<A, E | DecodeError, R> => {
  const operation = options.operation ?? "Pagination.cursorStream"
  return Stream.suspend(() => {
    const seen = new Set<string>()
    const streamed = new Set<string>()
    return Stream.paginateChunkEffect(
      Option.none<string>(),
      (cursor) =>
        Effect.flatMap(fetch({ limit: pageSize, startingAfter: Option.getOrUndefined(cursor) }), (page) => {
          if (!addedAny(streamed, page, cursorOf)) {
            return Effect.fail(
              noProgress(
                operation,
                `every item after starting_after=${Option.getOrElse(cursor, () => "(none)")} was already streamed`
              )
            )
          }
          const last = page.at(-1)
          const done = page.length < pageSize || last === undefined
          if (done) return Effect.succeed([Chunk.fromIterable(page), Option.none()] as const)
          const next = cursorOf(last)
          if (seen.has(next) || Option.contains(cursor, next)) {
            return Effect.fail(
              noProgress(
                operation,
                `after starting_after=${Option.getOrElse(cursor, () => "(none)")} the next cursor is ${next} again`
              )
            )
          }
          seen.add(next)
          return Effect.succeed([Chunk.fromIterable(page), Option.some(Option.some(next))] as const)
        })
    )
  })
}
