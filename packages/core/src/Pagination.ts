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

/**
 * Streams every item of a list paged by `offset`: stops on a short page, or once `totalCount` (when the page
 * reports one) is reached.
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
  startOffset = 0
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(startOffset, (offset) =>
    Effect.map(fetch({ limit: pageSize, offset }), (page) => {
      const next = offset + page.data.length
      const done = page.data.length < pageSize || (page.totalCount !== undefined && next >= page.totalCount)
      return [Chunk.fromIterable(page.data), done ? Option.none() : Option.some(next)] as const
    }))

/**
 * Streams every item of a list paged by cursor: each request passes the id of the last item seen; stops on a short
 * page.
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
  >
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(
    Option.none<string>(),
    (cursor) =>
      Effect.map(fetch({ limit: pageSize, startingAfter: Option.getOrUndefined(cursor) }), (page) => {
        const last = page.at(-1)
        const done = page.length < pageSize || last === undefined
        return [Chunk.fromIterable(page), done ? Option.none() : Option.some(Option.some(cursorOf(last)))] as const
      })
  )
