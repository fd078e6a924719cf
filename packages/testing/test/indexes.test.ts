import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { type Params, Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { listPage, parseOrder } from "../src/internal/handlers/listing.js"
import { makeOrderedIndex, type OrderKey } from "../src/internal/ordered.js"
import { defaultFeatures, newStoredUser } from "../src/internal/state.js"
import { makeStore } from "../src/internal/store.js"

// Lists and counts answer from the store's indexes (ordered by creation, identifiers); these tests pin that they
// answer what a full scan and sort would, across bucket boundaries (more than 512 users), ties, moves and deletes.

const NoLimits = ClerkTest.layerWith({ emulator: { rateLimit: false, validateResponses: false } })

const byKey = (a: OrderKey, b: OrderKey) => a.createdAt - b.createdAt || a.seq - b.seq

describe("the ordered index", () => {
  it("walks like a sorted array after any inserts and removes, in both directions, after any key, past any skip", () => {
    // mostly inserts, so the index grows past a bucket (512 entries) and splits
    const op = fc.oneof(
      { arbitrary: fc.record({ insert: fc.integer({ min: 0, max: 40 }) }), weight: 3 },
      { arbitrary: fc.record({ remove: fc.nat() }), weight: 1 }
    )
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 1500, size: "max" }),
        fc.integer({ min: -1, max: 41 }),
        fc.nat(),
        fc.nat(),
        (ops, at, s, k) => {
          const index = makeOrderedIndex<number>()
          const reference: Array<OrderKey> = []
          let seq = 0
          for (const o of ops) {
            if ("insert" in o) {
              const key = { createdAt: o.insert, seq: seq++ }
              index.insert(key, key.seq)
              reference.push(key)
            } else if (reference.length > 0) {
              const [key] = reference.splice(o.remove % reference.length, 1)
              expect(index.remove(key!)).toBe(true)
              expect(index.remove(key!)).toBe(false)
            }
          }
          reference.sort(byKey)
          expect(index.size()).toBe(reference.length)
          expect([...index.walk(1)]).toEqual(reference.map((k) => k.seq))
          expect([...index.walk(-1)]).toEqual(reference.map((k) => k.seq).reverse())
          // after a key that may or may not be in the index
          const after = { createdAt: at, seq: s % (seq + 1) }
          expect([...index.walk(1, after)]).toEqual(reference.filter((k) => byKey(k, after) > 0).map((k) => k.seq))
          expect([...index.walk(-1, after)]).toEqual(
            reference.filter((k) => byKey(k, after) < 0).map((k) => k.seq).reverse()
          )
          // past `skip` entries (an offset, from -1 to past the end; none skipped when it is not positive)
          const skip = (k % (reference.length + 3)) - 1
          const from = Math.max(0, skip)
          expect([...index.walk(1, undefined, skip)]).toEqual(reference.map((k) => k.seq).slice(from))
          expect([...index.walk(-1, undefined, skip)]).toEqual(reference.map((k) => k.seq).reverse().slice(from))
          expect([...index.walk(1, after, skip)]).toEqual(
            reference.filter((k) => byKey(k, after) > 0).map((k) => k.seq).slice(from)
          )
          expect([...index.walk(-1, after, skip)]).toEqual(
            reference.filter((k) => byKey(k, after) < 0).map((k) => k.seq).reverse().slice(from)
          )
        }
      ),
      { numRuns: 60 }
    )
  })
})

/** Every page of a list, by `starting_after` cursors. */
const walkPages = (query: Params.ListQuery, limit: number) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    let cursor: string | undefined
    while (true) {
      const page = yield* Users.list({ ...query, limit, ...(cursor === undefined ? {} : { startingAfter: cursor }) })
      out.push(...page.map((u) => u.id))
      if (page.length < limit) return out
      cursor = page.at(-1)!.id
    }
  })

describe("lists and counts from the indexes agree with a full sort", () => {
  it.effect("ties, a created_at in the past, created_at moved by an update, deletes; both directions", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const base = 1_700_000_000_000
      // 1,100 users over 40 distinct milliseconds: many ties, more than two buckets
      const { users } = yield* emulator.seed({
        users: Array.from({ length: 1100 }, (_, i) => ({
          emailAddress: [`p${i}@x.co`],
          banned: i % 3 === 0,
          createdAt: base + (i % 40) * 1000
        }))
      })
      // the reference: creation order number, created_at; ties by creation order
      const reference = users.map((u, n) => ({ id: u.id, n, createdAt: base + (n % 40) * 1000 }))
      const past = yield* Users.create({ emailAddress: ["past@x.co"], createdAt: new Date(base - 5000) })
      reference.push({ id: past.id, n: reference.length, createdAt: base - 5000 })
      const fresh = yield* Users.create({ emailAddress: ["fresh@x.co"] })
      reference.push({ id: fresh.id, n: reference.length, createdAt: fresh.createdAt })
      // moved: to a tie in the middle, to the far past, to the future
      for (const [i, at] of [[5, base + 20_000], [700, base - 10_000], [1001, base + 10_000_000]] as const) {
        yield* Users.update(users[i]!.id, { createdAt: new Date(at) })
        reference[i] = { ...reference[i]!, createdAt: at }
      }
      for (const i of [0, 1, 39, 40, 512, 513, 1099]) yield* Users.delete(users[i]!.id)
      const deleted = new Set([0, 1, 39, 40, 512, 513, 1099].map((i) => users[i]!.id))
      const live = reference.filter((r) => !deleted.has(r.id))
      const ascending = [...live].sort((a, b) => a.createdAt - b.createdAt || a.n - b.n).map((r) => r.id)
      const descending = [...ascending].reverse()

      expect(yield* walkPages({}, 97)).toEqual(descending)
      expect(yield* walkPages({ orderBy: "+created_at" }, 97)).toEqual(ascending)
      expect(yield* walkPages({ orderBy: "-created_at" }, 500)).toEqual(descending)
      expect((yield* Users.list({ limit: 10, offset: 600 })).map((u) => u.id)).toEqual(descending.slice(600, 610))
      expect(yield* Users.count()).toBe(live.length)
      // a subset through the candidates path (user ids: looked up, filtered, then sorted)
      const some = new Set([...live.filter((_, k) => k % 61 === 0).map((r) => r.id), users[5]!.id, users[700]!.id])
      const subset = descending.filter((id) => some.has(id))
      expect((yield* Users.list({ userId: [...some], limit: 500, offset: 3 })).map((u) => u.id)).toEqual(
        subset.slice(3)
      )
      expect((yield* Users.list({ userId: [...some], orderBy: "+created_at", limit: 20 })).map((u) => u.id)).toEqual(
        [...subset].reverse().slice(0, 20)
      )
      expect(yield* Users.count({ userId: [...some] })).toBe(some.size)
      expect((yield* emulator.users).map((u) => u.id)).toEqual(descending)
    }).pipe(Effect.provide(NoLimits)))

  it.effect("starting_after across filters (the cursor filtered out or deleted), and counts that agree", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator
      const base = 1_700_000_000_000
      const { users } = yield* emulator.seed({
        users: Array.from({ length: 700 }, (_, i) => ({
          emailAddress: [i % 5 === 0 ? `five${i}@mail.test` : `other${i}@x.co`],
          username: `name_${i}`,
          banned: i % 2 === 0,
          createdAt: base + (i % 30) * 1000
        }))
      })
      const order = users.map((u, n) => ({ u, n, i: n })).sort((a, b) => (b.i % 30) - (a.i % 30) || b.n - a.n)
      const newestFirst = order.map((r) => r.u.id)
      const where = (test: (i: number) => boolean) => order.filter((r) => test(r.i)).map((r) => r.u.id)
      const cases: ReadonlyArray<readonly [Params.ListQuery, (i: number) => boolean]> = [
        [{ banned: true }, (i) => i % 2 === 0], // scanned along the ordered index
        [{ emailAddressQuery: "FIVE" }, (i) => i % 5 === 0], // candidates from the email index's keys
        [{ emailAddressQuery: "five", banned: false }, (i) => i % 5 === 0 && i % 2 === 1],
        [{ usernameQuery: "name_1" }, (i) => String(i).startsWith("1")],
        [{ query: "@MAIL.test" }, (i) => i % 5 === 0],
        [{ emailAddress: ["five10@mail.test", "FIVE20@MAIL.TEST", "nobody@x.co"] }, (i) => i === 10 || i === 20],
        [{ username: ["name_3", "name_4"], banned: true }, (i) => i === 4]
      ]
      const cursorAt = 250 // a position in the full newest-first order
      for (const [query, test] of cases) {
        const expected = where(test)
        const label = JSON.stringify(query)
        expect(yield* walkPages(query, 23), label).toEqual(expected)
        expect(yield* Users.count(query), label).toBe(expected.length)
        // a cursor that need not match the filter: the page continues after its place in the full order
        const cursor = newestFirst[cursorAt]!
        const after = new Set(newestFirst.slice(cursorAt + 1))
        const page = yield* Users.list({ ...query, startingAfter: cursor, limit: 500 })
        expect(page.map((u) => u.id), label).toEqual(expected.filter((id) => after.has(id)))
        const offset = yield* Users.list({ ...query, offset: 3, limit: 5 })
        expect(offset.map((u) => u.id), label).toEqual(expected.slice(3, 8))
      }
      // a deleted user is no cursor any more (422), and is gone from the identifier indexes
      yield* Users.delete(users[10]!.id)
      expect((yield* Effect.flip(Users.list({ startingAfter: users[10]!.id })))._tag).toBe("UnprocessableEntity")
      expect(yield* Users.count({ emailAddress: ["five10@mail.test"] })).toBe(0)
      expect(yield* Users.count({ emailAddressQuery: "five1" })).toBe(
        where((i) => i % 5 === 0 && String(i).startsWith("1") && i !== 10).length
      )
    }).pipe(Effect.provide(NoLimits)))
})

describe("created_at order from the index, both ways, is the scan's order", () => {
  it.effect(
    "random created_at (many ties), deletes and moves: index walk = scan + sort, any sign/offset/limit/filter",
    () =>
      Effect.gen(function*() {
        const emulator = yield* ClerkEmulator
        const [times, moves] = fc.sample(
          fc.tuple(
            fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 600, maxLength: 600 }),
            fc.array(fc.tuple(fc.nat(599), fc.integer({ min: -5, max: 65 })), { maxLength: 20 })
          ),
          { numRuns: 1, seed: 42 }
        )[0]!
        const base = 1_700_000_000_000
        const { users } = yield* emulator.seed({
          users: times.map((t, i) => ({
            emailAddress: [`o${i}@x.co`],
            banned: i % 3 === 0,
            createdAt: base + t * 1000
          }))
        })
        for (const [i, t] of moves) yield* Users.update(users[i]!.id, { createdAt: new Date(base + t * 1000) })
        for (const i of [3, 77, 511, 512, 599]) yield* Users.delete(users[i]!.id)
        // the reference: the stored users sorted by (created_at, creation order), as the scan path sorts
        const stored = (yield* emulator.snapshot).state.users
        const ascending = [...stored].sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq)
        const query = fc.record({
          orderBy: fc.constantFrom("created_at", "+created_at", "-created_at", undefined),
          offset: fc.nat(620),
          limit: fc.integer({ min: 1, max: 40 }),
          banned: fc.constantFrom(true, false, undefined)
        })
        for (const q of fc.sample(query, { numRuns: 60, seed: 7 })) {
          const params: Params.ListQuery = {
            offset: q.offset,
            limit: q.limit,
            ...(q.orderBy === undefined ? {} : { orderBy: q.orderBy }),
            ...(q.banned === undefined ? {} : { banned: q.banned })
          }
          const ordered = q.orderBy === "created_at" || q.orderBy === "+created_at"
            ? ascending
            : [...ascending].reverse()
          const expected = ordered.filter((u) => q.banned === undefined || u.banned === q.banned)
            .slice(q.offset, q.offset + q.limit).map((u) => u.id)
          const label = JSON.stringify(q)
          // from the ordered index
          expect((yield* Users.list(params)).map((u) => u.id), label).toEqual(expected)
          // every user as candidates (from the email index's keys: each holds "@x.co"): the filter-and-sort path
          expect((yield* Users.list({ ...params, emailAddressQuery: "@x.co" })).map((u) => u.id), label)
            .toEqual(expected)
        }
      }).pipe(Effect.provide(NoLimits)),
    120_000
  )
})

describe("which lists read the ordered index and which scan every user", () => {
  // a store whose full scan throws: a list that answers reads only the ordered index (and the users it yields)
  const store = makeStore(defaultFeatures)
  for (let i = 0; i < 1200; i++) {
    store.createUser(newStoredUser({ id: `user_${i}`, seq: store.nextSeq(), createdAt: i % 50, updatedAt: 0 }), 0, {
      emit: false
    })
  }
  const noScan = { store: { ...store, users: () => expect.unreachable("scanned every user") } }
  const page = (orderBy: string, offset: number, banned?: boolean) =>
    Effect.runSync(Effect.map(
      parseOrder(orderBy),
      (order) => listPage(noScan, banned === undefined ? {} : { banned }, order, { limit: 5, offset }).map((u) => u.id)
    ))

  it("created_at either way (with an offset, with a filter checked along the walk): no scan", () => {
    const ascending = [...store.usersInOrder(1)].map((u) => u.id)
    expect(page("created_at", 700)).toEqual(ascending.slice(700, 705))
    expect(page("+created_at", 0)).toEqual(ascending.slice(0, 5))
    expect(page("-created_at", 1100)).toEqual([...ascending].reverse().slice(1100, 1105))
    expect(page("created_at", 3, false)).toEqual(ascending.slice(3, 8))
  })

  it("any other order scans and sorts", () => {
    expect(() => page("-updated_at", 0)).toThrow("scanned every user")
    expect(() => page("+first_name", 0)).toThrow("scanned every user")
  })
})
