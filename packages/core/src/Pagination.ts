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

const noProgress = (operation: string, what: string) =>
  new DecodeError({
    status: 200,
    operation,
    message: `${operation}: pagination makes no progress: ${what} (the server ignores the paging parameter)`,
    excerpt: ""
  })

/**
 * Streams every item of a list paged by `offset`: stops on a short page, or once `totalCount` (when the page
 * reports one) is reached. With `keyOf`, a page whose first and last items are those of the page before (a server
 * that ignores `offset`) fails the stream with `DecodeError` instead of repeating it.
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
  const signature = (data: ReadonlyArray<A>) =>
    keyOf === undefined || data.length === 0 ? undefined : `${keyOf(data[0]!)}\u0000${keyOf(data[data.length - 1]!)}`
  return Stream.paginateChunkEffect(
    { offset: startOffset, previous: undefined as string | undefined },
    ({ offset, previous }) =>
      Effect.flatMap(fetch({ limit: pageSize, offset }), (page) => {
        const current = signature(page.data)
        if (current !== undefined && current === previous) {
          return Effect.fail(noProgress(operation, `the page at offset ${offset} repeats the page before it`))
        }
        const next = offset + page.data.length
        const done = page.data.length < pageSize || (page.totalCount !== undefined && next >= page.totalCount)
        return Effect.succeed(
          [
            Chunk.fromIterable(page.data),
            done ? Option.none() : Option.some({ offset: next, previous: current })
          ] as const
        )
      })
  )
}

/**
 * Streams every item of a list paged by cursor: each request passes the id of the last item seen; stops on a short
 * page. A cursor seen before (a server that ignores `startingAfter` and sends the same page again, or pages that
 * cycle) fails the stream with `DecodeError` at once instead of looping forever.
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
    return Stream.paginateChunkEffect(
      Option.none<string>(),
      (cursor) =>
        Effect.flatMap(fetch({ limit: pageSize, startingAfter: Option.getOrUndefined(cursor) }), (page) => {
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
