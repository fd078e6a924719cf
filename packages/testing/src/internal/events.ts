import type { Models } from "@effect-clerk/users"
import * as Data from "effect/Data"

/**
 * What the store records for every change to a user, in the order the changes happened.
 *
 * - `UserCreated` / `UserUpdated`: `user` is the user as `GET /users/{id}` returns it right after the change.
 * - `UserDeleted`: the id of the user that is gone (and their external id, which Clerk's `user.deleted` carries).
 *
 * Every event has `seq` (strictly increasing over the emulator's life, resets included) and `at` (the emulator's
 * time of the change, in ms).
 *
 * @internal
 */
export type DomainEvent = Data.TaggedEnum<{
  UserCreated: { readonly seq: number; readonly at: number; readonly user: Models.User }
  UserUpdated: { readonly seq: number; readonly at: number; readonly user: Models.User }
  UserDeleted: {
    readonly seq: number
    readonly at: number
    readonly id: string
    readonly externalId: string | null
  }
}>

/**
 * Constructors and matchers of `DomainEvent` (`DomainEvent.UserCreated({ ... })`, `DomainEvent.$is("UserUpdated")`).
 *
 * @internal
 */
export const DomainEvent = Data.taggedEnum<DomainEvent>()

/**
 * Runs synchronously after a change commits. A listener that throws does not undo the change nor reach the caller.
 *
 * @internal
 */
export type Listener = (event: DomainEvent) => void
