import { ClerkEmulator, ClerkTest } from "@effect-clerk/testing"
import { Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

describe("smoke", () => {
  it.effect("create, get, list", () =>
    Effect.gen(function*() {
      const created = yield* Users.create({
        emailAddress: ["ada@example.com"],
        firstName: "Ada",
        password: "correct horse battery"
      })
      const got = yield* Users.get(created.id)
      expect(got.firstName).toBe("Ada")
      const list = yield* Users.list({ emailAddress: ["ADA@example.com"] })
      expect(list.map((u) => u.id)).toEqual([created.id])
      const missing = yield* Effect.flip(Users.get("user_missing"))
      expect(missing._tag).toBe("NotFound")
      const emulator = yield* ClerkEmulator.ClerkEmulator
      expect((yield* emulator.users).length).toBe(1)
    }).pipe(Effect.provide(ClerkTest.layer)))
})
