/**
 * Limits Clerk's spec documents on request bodies, enforced with spec validation on and off alike.
 */
import { ClerkEmulator } from "@effect-clerk/testing"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

describe("documented limits", () => {
  // UsersBan / UsersUnban: `user_ids` has `minItems: 1, maxItems: 50` in Clerk's spec
  it.scoped("bulk ban and unban take 1 to 50 user ids: 51 is Clerk's 400 naming user_ids, and nothing changes", () =>
    Effect.gen(function*() {
      for (const validateRequests of [true, false]) {
        const e = yield* ClerkEmulator.make({ rateLimit: false, validateRequests })
        const { users } = yield* e.seed({ users: Array.from({ length: 51 }, () => ({})) })
        const ids = users.map((u) => u.id)
        const post = (path: string, userIds: ReadonlyArray<string>) =>
          Effect.flatMap(
            e.handle(
              new Request(`http://x/v1/users/${path}`, {
                method: "POST",
                headers: { authorization: `Bearer ${e.secretKey}`, "content-type": "application/json" },
                body: JSON.stringify({ user_ids: userIds })
              })
            ),
            (response) =>
              Effect.promise(async () => ({
                status: response.status,
                body: (await response.json()) as {
                  errors?: ReadonlyArray<{ code: string; meta?: { param_name?: string } }>
                }
              }))
          )
        const banned = () => Effect.map(e.users, (all) => all.filter((u) => u.banned).length)
        for (const [path, expected] of [["ban", 0], ["unban", 50]] as const) {
          const where = `${path} (validateRequests: ${validateRequests})`
          for (const bad of [ids, []]) {
            const refused = yield* post(path, bad)
            expect(refused.status, `${where}: ${bad.length} ids`).toBe(400)
            expect(refused.body.errors?.[0]?.meta?.param_name, where).toBe("user_ids")
            expect(yield* banned(), where).toBe(expected)
          }
          expect((yield* post(path, ids.slice(0, 50))).status, `${where}: 50 ids`).toBe(200)
          expect(yield* banned(), where).toBe(50 - expected)
        }
      }
    }))
})
