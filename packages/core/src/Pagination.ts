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

/**
 * The items of `page` whose key is not in `seen` yet, in the page's order, each key once (a key repeated within the
 * page counts once too); their keys are added to `seen`.
 */
const unseen = <A>(seen: Set<string>, page: ReadonlyArray<A>, keyOf: (item: A) => string): Array<A> => {
  const out: Array<A> = []
  for (const item of page) {
    const key = keyOf(item)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(item)
    }
  }
  return out
}

/** The new items of a page as a chunk; when some were skipped as already streamed, says so at debug level. */
const emitted = <A>(operation: string, page: ReadonlyArray<A>, fresh: ReadonlyArray<A>) =>
  fresh.length === page.length
    ? Effect.succeed(Chunk.fromIterable(page))
    : Effect.as(
      Effect.logDebug(
        `${operation}: skipped ${page.length - fresh.length} item(s) already streamed (the server's pages overlap)`
      ),
      Chunk.fromIterable(fresh)
    )

const noProgress = (operation: string, what: string) =>
  new DecodeError({
    status: 200,
    operation,
    message: `${operation}: pagination makes no progress: ${what} (the server ignores the paging parameter)`,
    excerpt: ""
  })

/**
 * Streams every item of a list paged by `offset`: stops on a short page, or once `totalCount` (when the page
 * reports one) is reached. With `keyOf`, each key is streamed once: an item already streamed (pages that overlap, a
 * repeat within a page) is skipped (a debug-level log line says how many), and a page asking for more all of whose
 * items were already streamed (a server that ignores `offset`, or alternates pages) fails the stream with
 * `DecodeError` instead of repeating forever; the keys seen are kept for the whole stream (one string per item).
 * The next offset counts the page as sent.
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
          const next = offset + page.data.length
          const done = page.data.length < pageSize || (page.totalCount !== undefined && next >= page.totalCount)
          const more = done ? Option.none() : Option.some(next)
          if (keyOf === undefined) return Effect.succeed([Chunk.fromIterable(page.data), more] as const)
          const fresh = unseen(seen, page.data, keyOf)
          // a last page of repeats is an end (a server whose pages overlap); a page that asks for more is no progress
          if (!done && fresh.length === 0) {
            return Effect.fail(noProgress(operation, `every item of the page at offset ${offset} was already streamed`))
          }
          return Effect.map(emitted(operation, page.data, fresh), (chunk) => [chunk, more] as const)
        })
    )
  })
}

/**
 * Streams every item of a list paged by cursor: each request passes the id of the last item of the page before (as
 * sent); stops on a short page. Each id is streamed once: an item already streamed (an inclusive cursor, pages that
 * overlap, a repeat within a page) is skipped, with a debug-level log line. A cursor seen before, or a page asking
 * for more all of whose items were already streamed (a server that ignores `startingAfter`, or pages that cycle or
 * alternate), fails the stream with `DecodeError` at once instead of looping forever; the ids seen are kept for the
 * whole stream (one string per item).
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
          const fresh = unseen(streamed, page, cursorOf)
          const last = page.at(-1)
          const done = page.length < pageSize || last === undefined
          if (!done && fresh.length === 0) {
            return Effect.fail(
              noProgress(
                operation,
                `every item after starting_after=${Option.getOrElse(cursor, () => "(none)")} was already streamed`
              )
            )
          }
          if (done) return Effect.map(emitted(operation, page, fresh), (chunk) => [chunk, Option.none()] as const)
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
          return Effect.map(
            emitted(operation, page, fresh),
            (chunk) => [chunk, Option.some(Option.some(next))] as const
          )
        })
    )
  })
}
