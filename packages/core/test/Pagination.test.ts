import { DecodeError, Pagination } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Stream from "effect/Stream"

const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: `u${from + i}` }))

describe("Pagination: a stream that makes no progress fails typed at once", () => {
  it.effect("cursor: a server that ignores startingAfter (the same page again) → DecodeError after 2 requests", () =>
    Effect.gen(function*() {
      const seen: Array<string | undefined> = []
      const error = yield* Pagination.cursorStream(
        3,
        (item: { readonly id: string }) => item.id,
        ({ startingAfter }) =>
          Effect.sync(() => {
            seen.push(startingAfter)
            return items(0, 3)
          }),
        { operation: "Users.stream" }
      ).pipe(Stream.runCollect, Effect.flip)
      expect(error).toBeInstanceOf(DecodeError)
      expect(error.operation).toBe("Users.stream")
      expect(error.message).toContain("no progress")
      expect(seen).toEqual([undefined, "u2"])
    }))

  it.effect("cursor: pages that cycle (A, B, A) fail instead of looping", () =>
    Effect.gen(function*() {
      let calls = 0
      const pages = [items(0, 2), items(10, 2), items(0, 2)]
      const error = yield* Pagination.cursorStream(2, (item: { readonly id: string }) =>
        item.id, () =>
        Effect.sync(() => pages[calls++ % 3]!)).pipe(Stream.runCollect, Effect.flip)
      expect(error).toBeInstanceOf(DecodeError)
      expect(calls).toBe(3)
    }))

  it.effect("cursor: a well-behaved server streams everything once", () =>
    Effect.gen(function*() {
      const all = items(0, 7)
      const out = yield* Pagination.cursorStream(3, (item: { readonly id: string }) =>
        item.id, ({ startingAfter }) =>
        Effect.sync(() => {
          const from = startingAfter === undefined ? 0 : all.findIndex((x) =>
            x.id === startingAfter
          ) + 1
          return all.slice(from, from + 3)
        })).pipe(Stream.runCollect)
      expect(Chunk.toReadonlyArray(out)).toEqual(all)
    }))

  it.effect("offset: a server that ignores offset (the same page again) → DecodeError after 2 requests", () =>
    Effect.gen(function*() {
      const offsets: Array<number> = []
      const error = yield* Pagination.offsetStream(
        3,
        ({ offset }) =>
          Effect.sync(() => {
            offsets.push(offset)
            return { data: items(0, 3), totalCount: 1_000_000 }
          }),
        0,
        { keyOf: (item) => item.id }
      ).pipe(Stream.runCollect, Effect.flip)
      expect(error).toBeInstanceOf(DecodeError)
      expect(offsets).toEqual([0, 3])
    }))

  it.effect("offset: a well-behaved server streams everything once", () =>
    Effect.gen(function*() {
      const all = items(0, 8)
      const out = yield* Pagination.offsetStream(
        3,
        ({ limit, offset }) => Effect.succeed({ data: all.slice(offset, offset + limit) }),
        0,
        { keyOf: (item) => item.id }
      ).pipe(Stream.runCollect)
      expect(Chunk.toReadonlyArray(out)).toEqual(all)
    }))

  it.effect("offset: a server alternating two pages (A, B, A, B…) fails on the third request, each item once", () =>
    Effect.gen(function*() {
      let calls = 0
      const streamed: Array<string> = []
      const error = yield* Pagination.offsetStream(
        2,
        () =>
          Effect.sync(() => {
            calls++
            // a short page ends the stream should the check be missing, so a regression fails instead of hanging
            return { data: calls > 20 ? [] : calls % 2 === 1 ? items(0, 2) : items(10, 2), totalCount: 1_000_000 }
          }),
        0,
        { keyOf: (item) => item.id, operation: "Users.streamOrganizationMemberships" }
      ).pipe(Stream.tap((item) => Effect.sync(() => streamed.push(item.id))), Stream.runDrain, Effect.flip)
      expect(error).toBeInstanceOf(DecodeError)
      expect(error.message).toContain("Users.streamOrganizationMemberships: pagination makes no progress")
      expect(calls).toBe(3)
      expect(streamed).toEqual(["u0", "u1", "u10", "u11"])
    }))

  it.effect("cursor: a page whose items were all streamed already fails, even under a new cursor", () =>
    Effect.gen(function*() {
      let calls = 0
      const streamed: Array<string> = []
      const pages = [[{ id: "u0" }, { id: "u1" }], [{ id: "u1" }, { id: "u0" }]]
      const error = yield* Pagination.cursorStream(
        2,
        (item: { readonly id: string }) => item.id,
        () => Effect.sync(() => pages[calls++ % 2]!)
      ).pipe(
        Stream.tap((item) => Effect.sync(() => streamed.push(item.id))),
        Stream.runDrain,
        Effect.flip
      )
      expect(error).toBeInstanceOf(DecodeError)
      expect(error.message).toContain("no progress")
      expect(calls).toBe(2)
      expect(streamed).toEqual(["u0", "u1"])
    }))
})

describe("Pagination: items a server sends again are streamed once", () => {
  it.effect("cursor: an inclusive cursor (each page starts with the last item of the one before): each item once", () =>
    Effect.gen(function*() {
      // a page of 3 holds 2 new items: u0-u2, u2-u4, u4-u6, u6-u8, then u8-u9 (short: the end), or for 9 items
      // the last page is u8 alone, nothing new: short, so the end, not "no progress"
      for (const count of [10, 9]) {
        const all = items(0, count)
        let calls = 0
        const out = yield* Pagination.cursorStream(
          3,
          (item: { readonly id: string }) => item.id,
          ({ startingAfter }) =>
            Effect.sync(() => {
              calls++
              const from = startingAfter === undefined ? 0 : all.findIndex((x) => x.id === startingAfter)
              return all.slice(from, from + 3)
            })
        ).pipe(Stream.runCollect)
        expect(Chunk.toReadonlyArray(out)).toEqual(all)
        expect(calls).toBe(5)
      }
    }))

  it.effect("cursor: an item repeated within a page, and across pages, is streamed once; the debug log says so", () =>
    Effect.gen(function*() {
      const pages = [[{ id: "u0" }, { id: "u0" }, { id: "u1" }], [{ id: "u1" }, { id: "u2" }, { id: "u2" }], []]
      let calls = 0
      const logs: Array<unknown> = []
      const out = yield* Pagination.cursorStream(
        3,
        (item: { readonly id: string }) => item.id,
        () => Effect.sync(() => pages[calls++]!),
        { operation: "Users.stream" }
      ).pipe(
        Stream.runCollect,
        Effect.provide(Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(message)))),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      expect(Chunk.toReadonlyArray(out).map((item) => item.id)).toEqual(["u0", "u1", "u2"])
      expect(logs.flat()).toEqual([
        "Users.stream: skipped 1 item(s) already streamed (the server's pages overlap)",
        "Users.stream: skipped 2 item(s) already streamed (the server's pages overlap)"
      ])
    }))

  it.effect("offset: overlapping pages (each starting one item early) and repeats within a page: each item once", () =>
    Effect.gen(function*() {
      const all = items(0, 10)
      const offsets: Array<number> = []
      const out = yield* Pagination.offsetStream(
        3,
        ({ limit, offset }) =>
          Effect.sync(() => {
            offsets.push(offset)
            const from = Math.max(0, offset - 1)
            const page = all.slice(from, from + limit)
            return { data: offset === 3 ? [page[0]!, page[0]!, page[1]!] : page, totalCount: all.length }
          }),
        0,
        { keyOf: (item) => item.id }
      ).pipe(Stream.runCollect)
      const ids = Chunk.toReadonlyArray(out).map((item) => item.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.slice(0, 4)).toEqual(["u0", "u1", "u2", "u3"])
      expect(offsets).toEqual([0, 3, 6, 9])
    }))

  it.effect("offset without keyOf: nothing to compare by, every item is streamed as sent", () =>
    Effect.gen(function*() {
      const out = yield* Pagination.offsetStream(
        2,
        ({ offset }) => Effect.succeed({ data: offset === 0 ? [1, 1] : [1], totalCount: 3 })
      ).pipe(Stream.runCollect)
      expect(Chunk.toReadonlyArray(out)).toEqual([1, 1, 1])
    }))
})
