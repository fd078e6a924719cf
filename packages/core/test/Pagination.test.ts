import { DecodeError, Pagination } from "@effect-clerk/core"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
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
