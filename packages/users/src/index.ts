/**
 * @effect-clerk/users: Clerk's Users API as typed Effects.
 *
 * @since 0.1.0
 */

/**
 * The 36 Users operations and their streams.
 *
 * @since 0.1.0
 */
export * as Users from "./Users.js"

/**
 * Pure helpers over a user: primary email address, phone number, web3 wallet, full name.
 *
 * @since 0.2.0
 */
export * as User from "./User.js"

/**
 * The endpoint descriptions, shared with the emulator.
 *
 * @since 0.1.0
 */
export * as UsersApi from "./UsersApi.js"

/**
 * Domain schemas generated from Clerk's spec.
 *
 * @since 0.1.0
 */
export * as Models from "./Models.js"

/**
 * Request schemas generated from Clerk's spec.
 *
 * @since 0.1.0
 */
export * as Params from "./Params.js"

/**
 * Clerk's webhooks: Standard Webhooks verification, the typed events (`user.*` carry `Models.User`), an `HttpApp`
 * endpoint.
 *
 * @since 0.2.0
 */
export * as Webhooks from "./Webhooks.js"
