/**
 * A seed sent to `POST /__emulator/seed` is decoded once, as an in-process `emulator.seed` is: the strict schema's
 * checks (here the metadata size filter, counted through a spy on `exceedsJsonSize`) run as many times for one as
 * for the other.
 */
import { ClerkEmulator, EmulatorServer } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { vi } from "vitest"

const sizeChecks = vi.hoisted(() => ({ count: 0 }))

vi.mock("../src/internal/metadata.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/internal/metadata.js")>()
  return {
    ...original,
    exceedsJsonSize: (value: unknown, max: number) => {
      sizeChecks.count++
      return original.exceedsJsonSize(value, max)
    }
  }
})

const seed = {
  users: [
    { emailAddress: ["a@b.co"], publicMetadata: { plan: "pro" }, privateMetadata: { n: 1 } },
    { emailAddress: ["c@d.co"], unsafeMetadata: { theme: "dark" } }
  ]
}

describe("an HTTP seed", () => {
  it.live("is decoded once: the same schema checks as an in-process seed, and the same users", () =>
    Effect.gen(function*() {
      const emulator = yield* ClerkEmulator.make({ rateLimit: false })
      sizeChecks.count = 0
      yield* emulator.seed(seed)
      const inProcess = sizeChecks.count
      expect(inProcess).toBeGreaterThan(0)

      const server = yield* EmulatorServer.serve({ port: 0, emulator: { rateLimit: false } })
      sizeChecks.count = 0
      const answer = yield* Effect.promise(() =>
        fetch(`http://127.0.0.1:${server.port}/__emulator/seed`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${server.secretKey}` },
          body: JSON.stringify(seed)
        })
      )
      expect(answer.status).toBe(200)
      expect(sizeChecks.count).toBe(inProcess)
      const users = yield* server.emulator.users
      expect(users.map((u) => [u.emailAddresses[0]?.emailAddress, u.publicMetadata, u.unsafeMetadata]))
        .toEqual((yield* emulator.users).map((u) => [
          u.emailAddresses[0]?.emailAddress,
          u.publicMetadata,
          u.unsafeMetadata
        ]))
    }).pipe(Effect.scoped))
})
