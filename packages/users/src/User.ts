/**
 * Pure helpers over a `Models.User`, for what `@clerk/backend`'s `User` offers as getters: the primary email
 * address, phone number and web3 wallet, and the full name. Each returns an `Option` (none when the user has none).
 *
 * @since 0.2.0
 */
import * as Option from "effect/Option"
import type * as Models from "./Models.js"

const byId = <A extends { readonly id?: string | null | undefined }>(
  items: ReadonlyArray<A>,
  id: string | null
): Option.Option<A> => (id === null ? Option.none() : Option.fromNullable(items.find((item) => item.id === id)))

/**
 * The user's primary email address (the entry of `emailAddresses` whose id is `primaryEmailAddressId`).
 *
 * @example
 * ```ts
 * import { User, Users } from "@effect-clerk/users"
 * import { Effect, Option } from "effect"
 * const email = Users.get("user_2abc").pipe(
 *   Effect.map((user) => Option.map(User.primaryEmailAddress(user), (e) => e.emailAddress))
 * )
 * ```
 * @since 0.2.0
 * @category getters
 */
export const primaryEmailAddress = (user: Models.User): Option.Option<Models.EmailAddress> =>
  byId(user.emailAddresses, user.primaryEmailAddressId)

/**
 * The user's primary phone number (the entry of `phoneNumbers` whose id is `primaryPhoneNumberId`).
 *
 * @example
 * ```ts
 * import { User, Users } from "@effect-clerk/users"
 * import { Effect, Option } from "effect"
 * const phone = Users.get("user_2abc").pipe(
 *   Effect.map((user) => Option.map(User.primaryPhoneNumber(user), (p) => p.phoneNumber))
 * )
 * ```
 * @since 0.2.0
 * @category getters
 */
export const primaryPhoneNumber = (user: Models.User): Option.Option<Models.PhoneNumber> =>
  byId(user.phoneNumbers, user.primaryPhoneNumberId)

/**
 * The user's primary web3 wallet (the entry of `web3Wallets` whose id is `primaryWeb3WalletId`).
 *
 * @example
 * ```ts
 * import { User, Users } from "@effect-clerk/users"
 * import { Effect, Option } from "effect"
 * const wallet = Users.get("user_2abc").pipe(
 *   Effect.map((user) => Option.map(User.primaryWeb3Wallet(user), (w) => w.web3Wallet))
 * )
 * ```
 * @since 0.2.0
 * @category getters
 */
export const primaryWeb3Wallet = (user: Models.User): Option.Option<Models.Web3Wallet> =>
  byId(user.web3Wallets, user.primaryWeb3WalletId)

/**
 * First and last name joined by a space, as `@clerk/backend`'s `fullName`; none when both are empty.
 *
 * @example
 * ```ts
 * import { User, Users } from "@effect-clerk/users"
 * import { Effect, Option } from "effect"
 * const greeting = Users.get("user_2abc").pipe(
 *   Effect.map((user) => `Hello ${Option.getOrElse(User.fullName(user), () => "there")}`)
 * )
 * ```
 * @since 0.2.0
 * @category getters
 */
export const fullName = (user: Pick<Models.User, "firstName" | "lastName">): Option.Option<string> => {
  const name = [user.firstName, user.lastName].filter((part) => part !== null && part.trim() !== "").join(" ").trim()
  return name === "" ? Option.none() : Option.some(name)
}
