// Typechecked with tsc (NodeNext, strict) inside the temporary project, against the packed .d.ts files.
import { ClerkClient, ClerkRateLimit, ClerkRetry } from "@effect-clerk/core"
import type { NotFound } from "@effect-clerk/core"
import { ClerkEmulator, ClerkTest, EmulatorServer } from "@effect-clerk/testing"
import { Models, User, Users } from "@effect-clerk/users"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Option } from "effect"

const live: Layer.Layer<ClerkClient, unknown> = ClerkRetry.layer().pipe(
  Layer.provide(ClerkRateLimit.layer()),
  Layer.provide(ClerkClient.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

const get: (userId: string) => Effect.Effect<Models.User, Users.GetError, ClerkClient> = Users.get
const notFound = (error: Users.GetError): error is NotFound => error._tag === "NotFound"
const count: Effect.Effect<number, Users.CountError, ClerkClient> = Users.count()

const program = Effect.gen(function*() {
  const emulator = yield* ClerkEmulator
  const { users } = yield* emulator.seed({ users: [{ emailAddress: ["ada@example.com"] }] })
  const user = yield* get(users[0]!.id)
  const email: Option.Option<string> = Option.map(User.primaryEmailAddress(user), (e) => e.emailAddress)
  return { email, total: yield* count }
}).pipe(Effect.provide(ClerkTest.layer))

const server = Effect.scoped(Effect.map(EmulatorServer.serve({ port: 0 }), (s) => s.url))

export { live, notFound, program, server }
