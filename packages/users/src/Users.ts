/**
 * The Users operations as typed Effects. Each one's error channel is exactly the statuses Clerk documents for it,
 * plus `TooManyRequests` and the infrastructure errors (`UnexpectedStatus`, `TransportError`, `DecodeError`,
 * `InvalidInput`). Path ids are positional; everything else is one camelCase params object.
 *
 * @since 0.1.0
 */
import type {
  BadRequest,
  ClerkClient,
  ClerkError,
  ClerkInfraError,
  Conflict,
  Forbidden,
  InternalServerError,
  NotFound,
  PaymentRequired,
  TooManyRequests,
  Unauthorized,
  UnprocessableEntity
} from "@effect-clerk/core"
import { InvalidInput } from "@effect-clerk/core/ClerkError"
import * as Endpoint from "@effect-clerk/core/Endpoint"
import * as Pagination from "@effect-clerk/core/Pagination"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { profileImageForm } from "./internal/profileImage.js"
import { streamOptions } from "./internal/streamOptions.js"
import type * as Models from "./Models.js"
import * as Params from "./Params.js"
import * as UsersApi from "./UsersApi.js"

/**
 * An operation calling `endpoint` with the input `input` makes of its arguments, in a span named after the endpoint
 * (`Endpoint.fn(endpoint.name)`: `Users.get`, ...). The operations below are each one of these, or written out where
 * they do more.
 */
const operation = <
  Q extends Endpoint.AnySchema,
  B extends Endpoint.AnySchema,
  S extends Endpoint.AnySchema,
  Errors extends ReadonlyArray<ClerkError.StatusErrorClass>,
  Args extends ReadonlyArray<unknown>
>(
  endpoint: Endpoint.Endpoint<Q, B, S, Errors>,
  input: (...args: Args) => Endpoint.Input<Q, B>
) => Endpoint.fn(endpoint.name)((...args: Args) => Endpoint.call(endpoint, input(...args)))

/**
 * `operation` for an endpoint whose body Clerk's spec marks required (create, update, bulk ban/unban, credits):
 * params of `undefined` are refused with `InvalidInput` before anything is sent (encoding would send `{}`, a body
 * the caller did not give: `Users.create({})` creates a user with no identifier, `Users.create(undefined)` does not).
 */
const operationWithBody = <
  Q extends Endpoint.AnySchema,
  B extends Endpoint.AnySchema,
  S extends Endpoint.AnySchema,
  Errors extends ReadonlyArray<ClerkError.StatusErrorClass>,
  Args extends ReadonlyArray<unknown>
>(
  endpoint: Endpoint.Endpoint<Q, B, S, Errors>,
  input: (...args: Args) => Endpoint.Input<Q, B>
) =>
  Endpoint.fn(endpoint.name)((...args: Args) => {
    const given = input(...args)
    return given.body === undefined
      ? Effect.fail(
        new InvalidInput({
          operation: endpoint.name,
          message: `${endpoint.name}: params are required (got undefined); Clerk requires this operation's body`
        })
      )
      : Endpoint.call(endpoint, given)
  })

/**
 * The effect an operation returns, given its endpoint.
 *
 * @example
 * ```ts
 * import type { Users, UsersApi } from "@effect-clerk/users"
 * type GetUser = Users.Operation<typeof UsersApi.get>
 * ```
 * @since 0.1.0
 * @category models
 */
export type Operation<E extends Endpoint.Any> = Effect.Effect<
  Endpoint.Success<E>,
  Endpoint.Error<E>,
  ClerkClient
>

/**
 * The errors of `Users.list`: BadRequest, Unauthorized, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.ListError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type ListError = BadRequest | Unauthorized | UnprocessableEntity | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.create`: BadRequest, Unauthorized, PaymentRequired, Forbidden, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.CreateError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type CreateError =
  | BadRequest
  | Unauthorized
  | PaymentRequired
  | Forbidden
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.count`: UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.CountError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type CountError = UnprocessableEntity | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.get`: BadRequest, Unauthorized, NotFound (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetError = BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.update`: BadRequest, Unauthorized, NotFound, Conflict, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.UpdateError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type UpdateError =
  | BadRequest
  | Unauthorized
  | NotFound
  | Conflict
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.delete`: BadRequest, Unauthorized, NotFound (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteError = BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.ban`: PaymentRequired (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.BanError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type BanError = PaymentRequired | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.unban`: PaymentRequired (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.UnbanError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type UnbanError = PaymentRequired | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.bulkBan`: BadRequest, PaymentRequired (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.BulkBanError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type BulkBanError = BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.bulkUnban`: BadRequest, PaymentRequired (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.BulkUnbanError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type BulkUnbanError = BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.lock`: Forbidden (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.LockError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type LockError = Forbidden | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.unlock`: Forbidden (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.UnlockError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type UnlockError = Forbidden | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.setProfileImage`: BadRequest, Unauthorized, NotFound (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.SetProfileImageError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type SetProfileImageError = BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.deleteProfileImage`: NotFound (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteProfileImageError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteProfileImageError = NotFound | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.updateMetadata`: BadRequest, Unauthorized, NotFound, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.UpdateMetadataError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type UpdateMetadataError =
  | BadRequest
  | Unauthorized
  | NotFound
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.replaceMetadata`: BadRequest, Unauthorized, NotFound, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.ReplaceMetadataError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type ReplaceMetadataError =
  | BadRequest
  | Unauthorized
  | NotFound
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.getBillingSubscription`: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetBillingSubscriptionError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetBillingSubscriptionError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.getBillingCreditBalance`: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetBillingCreditBalanceError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetBillingCreditBalanceError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.adjustBillingCreditBalance`: BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.AdjustBillingCreditBalanceError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type AdjustBillingCreditBalanceError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.getOAuthAccessToken`: BadRequest, NotFound, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetOAuthAccessTokenError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetOAuthAccessTokenError = BadRequest | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.getOrganizationMemberships`: Forbidden (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetOrganizationMembershipsError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetOrganizationMembershipsError = Forbidden | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.getOrganizationInvitations`: BadRequest, Forbidden, NotFound (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetOrganizationInvitationsError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetOrganizationInvitationsError = BadRequest | Forbidden | NotFound | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.verifyPassword`: BadRequest, NotFound, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.VerifyPasswordError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type VerifyPasswordError =
  | BadRequest
  | NotFound
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.verifyTotp`: BadRequest, NotFound, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.VerifyTotpError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type VerifyTotpError =
  | BadRequest
  | NotFound
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.disableMfa`: NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DisableMfaError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DisableMfaError = NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.deleteBackupCodes`: NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteBackupCodesError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteBackupCodesError = NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.deletePasskey`: Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeletePasskeyError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeletePasskeyError = Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.deleteWeb3Wallet`: BadRequest, Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteWeb3WalletError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteWeb3WalletError =
  | BadRequest
  | Forbidden
  | NotFound
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.deleteTOTP`: NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteTOTPError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteTOTPError = NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.deleteExternalAccount`: BadRequest, Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.DeleteExternalAccountError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type DeleteExternalAccountError =
  | BadRequest
  | Forbidden
  | NotFound
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.setPasswordCompromised`: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.SetPasswordCompromisedError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type SetPasswordCompromisedError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.unsetPasswordCompromised`: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.UnsetPasswordCompromisedError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type UnsetPasswordCompromisedError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | UnprocessableEntity
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.getInstanceOrganizationMemberships`: BadRequest, Unauthorized, UnprocessableEntity, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.GetInstanceOrganizationMembershipsError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type GetInstanceOrganizationMembershipsError =
  | BadRequest
  | Unauthorized
  | UnprocessableEntity
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.removePassword`: BadRequest, Unauthorized, Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.RemovePasswordError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type RemovePasswordError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | InternalServerError
  | TooManyRequests
  | ClerkInfraError

/**
 * The errors of `Users.listTrustedDevices`: Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.ListTrustedDevicesError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type ListTrustedDevicesError = Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * The errors of `Users.revokeTrustedDevice`: Forbidden, NotFound, InternalServerError (the statuses Clerk documents for it), `TooManyRequests`, and the
 * infrastructure errors (`ClerkInfraError`).
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const tagOf = (error: Users.RevokeTrustedDeviceError) => error._tag
 * ```
 * @since 0.2.0
 * @category errors
 */
export type RevokeTrustedDeviceError = Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError

/**
 * A profile image upload: `file` is a `Blob` (a `File` included) or the image's bytes (`Uint8Array`, so a Node
 * `Buffer` as read by `fs.readFile`); `filename` defaults to `file`. Anything else is refused with `InvalidInput`.
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const image: Users.ProfileImage = { file: new Blob(["png bytes"], { type: "image/png" }), filename: "me.png" }
 * const bytes: Users.ProfileImage = { file: new Uint8Array([137, 80, 78, 71]), filename: "me.png" }
 * ```
 * @since 0.1.0
 * @category models
 */
export interface ProfileImage {
  readonly file: Blob | Uint8Array
  readonly filename?: string | undefined
}

/**
 * Lists users, newest first (one request, one page; Clerk returns a plain array). Filters, `orderBy`, `limit` (1..500), `offset` and the `startingAfter` cursor are all supported; use `count` with the same filters for the total, and `stream` to walk every page.
 *
 * Errors: BadRequest, Unauthorized, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.list({ emailAddress: ["ada@example.com"], limit: 50 })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const list: (params?: Params.ListQuery) => Effect.Effect<ReadonlyArray<Models.User>, ListError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.list, (params?: Params.ListQuery) => ({ query: params }))

/**
 * Creates a user. Emails and phone numbers are created verified unless their `*IdentificationStatus` says `reserved`. Never retried once it may have reached Clerk.
 *
 * Errors: BadRequest, Unauthorized, PaymentRequired, Forbidden, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.create({ emailAddress: ["ada@example.com"], password: "correct horse battery" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const create: (params: Params.CreateBody) => Effect.Effect<Models.User, CreateError, ClerkClient> =
  /*#__PURE__*/ operationWithBody(UsersApi.create, (params: Params.CreateBody) => ({ body: params }))

/**
 * Counts the users matching the same filters `list` takes.
 *
 * Errors: UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.count({ banned: true })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const count: (params?: Params.CountQuery) => Effect.Effect<number, CountError, ClerkClient> =
  /*#__PURE__*/ Endpoint.fn("Users.count")((params?: Params.CountQuery) =>
    Effect.map(Endpoint.call(UsersApi.count, { query: params }), ({ totalCount }) => totalCount)
  )

/**
 * Retrieves a user by id.
 *
 * Errors: BadRequest, Unauthorized, NotFound, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.get("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const get: (userId: string) => Effect.Effect<Models.User, GetError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.get,
  (userId: string) => ({ path: [userId] })
)

/**
 * Updates a user's attributes; fields left out are untouched.
 *
 * Errors: BadRequest, Unauthorized, NotFound, Conflict, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.update("user_2abc", { firstName: "Ada" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const update: (
  userId: string,
  params: Params.UpdateBody
) => Effect.Effect<Models.User, UpdateError, ClerkClient> = /*#__PURE__*/ operationWithBody(
  UsersApi.update,
  (userId: string, params: Params.UpdateBody) => ({ path: [userId], body: params })
)

/**
 * Deletes a user.
 *
 * Errors: BadRequest, Unauthorized, NotFound, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.delete("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
const delete_: (userId: string) => Effect.Effect<Models.DeletedObject, DeleteError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.delete, (userId: string) => ({ path: [userId] }))

/**
 * Bans a user: their sessions are revoked and they cannot sign in.
 *
 * Errors: PaymentRequired, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.ban("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const ban: (userId: string) => Effect.Effect<Models.User, BanError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.ban,
  (userId: string) => ({ path: [userId] })
)

/**
 * Removes a user's ban.
 *
 * Errors: PaymentRequired, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.unban("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const unban: (userId: string) => Effect.Effect<Models.User, UnbanError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.unban,
  (userId: string) => ({ path: [userId] })
)

/**
 * Bans up to 50 users at once (Clerk's spec: `user_ids` holds 1 to 50 ids).
 *
 * Errors: BadRequest, PaymentRequired, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.bulkBan({ userIds: ["user_1", "user_2"] })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const bulkBan: (
  params: Params.BulkBanBody
) => Effect.Effect<ReadonlyArray<Models.User>, BulkBanError, ClerkClient> = /*#__PURE__*/ operationWithBody(
  UsersApi.bulkBan,
  (params: Params.BulkBanBody) => ({ body: params })
)

/**
 * Unbans up to 50 users at once (Clerk's spec: `user_ids` holds 1 to 50 ids).
 *
 * Errors: BadRequest, PaymentRequired, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.bulkUnban({ userIds: ["user_1", "user_2"] })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const bulkUnban: (
  params: Params.BulkUnbanBody
) => Effect.Effect<ReadonlyArray<Models.User>, BulkUnbanError, ClerkClient> = /*#__PURE__*/ operationWithBody(
  UsersApi.bulkUnban,
  (params: Params.BulkUnbanBody) => ({ body: params })
)

/**
 * Locks a user, as too many failed sign-ins would.
 *
 * Errors: Forbidden, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.lock("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const lock: (userId: string) => Effect.Effect<Models.User, LockError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.lock,
  (userId: string) => ({ path: [userId] })
)

/**
 * Unlocks a user.
 *
 * Errors: Forbidden, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.unlock("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const unlock: (userId: string) => Effect.Effect<Models.User, UnlockError, ClerkClient> = /*#__PURE__*/ Endpoint
  .fn("Users.unlock")((userId: string) => Endpoint.call(UsersApi.unlock, { path: [userId] }))

/**
 * Uploads a profile image (multipart, field `file`).
 *
 * Errors: BadRequest, Unauthorized, NotFound, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const bytes = new Uint8Array([137, 80, 78, 71])
 * const program = Users.setProfileImage("user_2abc", { file: new Blob([bytes], { type: "image/png" }), filename: "me.png" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const setProfileImage: (
  userId: string,
  image: ProfileImage
) => Effect.Effect<Models.User, SetProfileImageError, ClerkClient> = /*#__PURE__*/ Endpoint.fn("Users.setProfileImage")(
  (userId: string, image: ProfileImage) =>
    // the image is read when the effect runs (each run reads it again), as with the other operations' inputs
    Effect.suspend((): Effect.Effect<Models.User, SetProfileImageError, ClerkClient> => {
      const form = profileImageForm(image)
      return Either.isLeft(form)
        ? Effect.fail(
          new InvalidInput({ operation: "Users.setProfileImage", message: `Users.setProfileImage: ${form.left}` })
        )
        : Endpoint.call(UsersApi.setProfileImage, { path: [userId], formData: form.right })
    })
)

/**
 * Deletes a user's profile image.
 *
 * Errors: NotFound, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deleteProfileImage("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deleteProfileImage: (userId: string) => Effect.Effect<Models.User, DeleteProfileImageError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.deleteProfileImage, (userId: string) => ({ path: [userId] }))

/**
 * Deep-merges the given metadata into the user's: nested objects merge, `null` deletes a key.
 *
 * Errors: BadRequest, Unauthorized, NotFound, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.updateMetadata("user_2abc", { publicMetadata: { plan: "pro", trial: null } })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const updateMetadata: (
  userId: string,
  params: Params.UpdateMetadataBody
) => Effect.Effect<Models.User, UpdateMetadataError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.updateMetadata,
  (userId: string, params: Params.UpdateMetadataBody) => ({ path: [userId], body: params })
)

/**
 * Replaces each metadata object given, whole; those left out are untouched.
 *
 * Errors: BadRequest, Unauthorized, NotFound, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.replaceMetadata("user_2abc", { privateMetadata: { tier: 2 } })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const replaceMetadata: (
  userId: string,
  params: Params.ReplaceMetadataBody
) => Effect.Effect<Models.User, ReplaceMetadataError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.replaceMetadata,
  (userId: string, params: Params.ReplaceMetadataBody) => ({ path: [userId], body: params })
)

/**
 * Retrieves a user's billing subscription.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getBillingSubscription("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getBillingSubscription: (
  userId: string
) => Effect.Effect<Models.CommerceSubscription, GetBillingSubscriptionError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.getBillingSubscription,
  (userId: string) => ({ path: [userId] })
)

/**
 * Retrieves a user's credit balance.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getBillingCreditBalance("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getBillingCreditBalance: (
  userId: string
) => Effect.Effect<Models.CommerceCreditBalanceResponse, GetBillingCreditBalanceError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.getBillingCreditBalance, (userId: string) => ({ path: [userId] }))

/**
 * Increases or decreases a user's credit balance. The idempotency key makes a repeat apply once, so this POST is retried safely.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.adjustBillingCreditBalance("user_2abc", { amount: 500, action: "increase", idempotencyKey: crypto.randomUUID() })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const adjustBillingCreditBalance: (
  userId: string,
  params: Params.AdjustBillingCreditBalanceBody
) => Effect.Effect<Models.CommerceCreditLedgerResponse, AdjustBillingCreditBalanceError, ClerkClient> =
  /*#__PURE__*/ operationWithBody(
    UsersApi.adjustBillingCreditBalance,
    (userId: string, params: Params.AdjustBillingCreditBalanceBody) => ({ path: [userId], body: params, keyed: true })
  )

/**
 * Retrieves the OAuth access tokens a user holds for a provider (`oauth_google`, ...).
 *
 * Errors: BadRequest, NotFound, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getOAuthAccessToken("user_2abc", "oauth_google")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getOAuthAccessToken: (
  userId: string,
  provider: string,
  params?: Params.GetOAuthAccessTokenQuery
) => Effect.Effect<Models.OAuthAccessToken, GetOAuthAccessTokenError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.getOAuthAccessToken,
  (userId: string, provider: string, params?: Params.GetOAuthAccessTokenQuery) => ({
    path: [userId, provider],
    query: params
  })
)

/**
 * One page of a user's organization memberships (`data` and `totalCount`).
 *
 * Errors: Forbidden, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getOrganizationMemberships("user_2abc", { limit: 20 })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getOrganizationMemberships: (
  userId: string,
  params?: Params.GetOrganizationMembershipsQuery
) => Effect.Effect<Models.OrganizationMemberships, GetOrganizationMembershipsError, ClerkClient> =
  /*#__PURE__*/ operation(
    UsersApi.getOrganizationMemberships,
    (userId: string, params?: Params.GetOrganizationMembershipsQuery) => ({ path: [userId], query: params })
  )

/**
 * One page of a user's organization invitations, optionally by status.
 *
 * Errors: BadRequest, Forbidden, NotFound, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getOrganizationInvitations("user_2abc", { status: "pending" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getOrganizationInvitations: (
  userId: string,
  params?: Params.GetOrganizationInvitationsQuery
) => Effect.Effect<
  Models.OrganizationInvitationsWithPublicOrganizationData,
  GetOrganizationInvitationsError,
  ClerkClient
> = /*#__PURE__*/ operation(
  UsersApi.getOrganizationInvitations,
  (userId: string, params?: Params.GetOrganizationInvitationsQuery) => ({ path: [userId], query: params })
)

/**
 * Checks a password against the user's; a wrong one is a 422.
 *
 * Errors: BadRequest, NotFound, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.verifyPassword("user_2abc", { password: "correct horse battery" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const verifyPassword: (
  userId: string,
  params: Params.VerifyPasswordBody
) => Effect.Effect<Models.VerifyPasswordResponse, VerifyPasswordError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.verifyPassword,
  (userId: string, params: Params.VerifyPasswordBody) => ({ path: [userId], body: params })
)

/**
 * Checks a TOTP code or a backup code (consumed on use); `codeType` says which matched.
 *
 * Errors: BadRequest, NotFound, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.verifyTotp("user_2abc", { code: "123456" })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const verifyTotp: (
  userId: string,
  params: Params.VerifyTotpBody
) => Effect.Effect<Models.VerifyTotpResponse, VerifyTotpError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.verifyTotp,
  (userId: string, params: Params.VerifyTotpBody) => ({ path: [userId], body: params })
)

/**
 * Disables every MFA method of a user.
 *
 * Errors: NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.disableMfa("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const disableMfa: (userId: string) => Effect.Effect<Models.DisableMfaResponse, DisableMfaError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.disableMfa, (userId: string) => ({ path: [userId] }))

/**
 * Removes a user's backup codes.
 *
 * Errors: NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deleteBackupCodes("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deleteBackupCodes: (
  userId: string
) => Effect.Effect<Models.DeleteBackupCodesResponse, DeleteBackupCodesError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.deleteBackupCodes,
  (userId: string) => ({ path: [userId] })
)

/**
 * Deletes one passkey of a user.
 *
 * Errors: Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deletePasskey("user_2abc", "idn_pk1")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deletePasskey: (
  userId: string,
  passkeyIdentificationId: string
) => Effect.Effect<Models.DeletedObject, DeletePasskeyError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.deletePasskey,
  (userId: string, passkeyIdentificationId: string) => ({ path: [userId, passkeyIdentificationId] })
)

/**
 * Deletes one web3 wallet of a user.
 *
 * Errors: BadRequest, Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deleteWeb3Wallet("user_2abc", "idn_w1")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deleteWeb3Wallet: (
  userId: string,
  web3WalletIdentificationId: string
) => Effect.Effect<Models.DeletedObject, DeleteWeb3WalletError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.deleteWeb3Wallet,
  (userId: string, web3WalletIdentificationId: string) => ({ path: [userId, web3WalletIdentificationId] })
)

/**
 * Deletes a user's TOTP authenticators.
 *
 * Errors: NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deleteTOTP("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deleteTOTP: (userId: string) => Effect.Effect<Models.DeleteTOTPResponse, DeleteTOTPError, ClerkClient> =
  /*#__PURE__*/ operation(UsersApi.deleteTOTP, (userId: string) => ({ path: [userId] }))

/**
 * Deletes one external (OAuth) account of a user.
 *
 * Errors: BadRequest, Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.deleteExternalAccount("user_2abc", "eac_1")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const deleteExternalAccount: (
  userId: string,
  externalAccountId: string
) => Effect.Effect<Models.DeletedObject, DeleteExternalAccountError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.deleteExternalAccount,
  (userId: string, externalAccountId: string) => ({ path: [userId, externalAccountId] })
)

/**
 * Marks a user's password as compromised: they must reset it at next sign-in.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.setPasswordCompromised("user_2abc", { revokeAllSessions: true })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const setPasswordCompromised: (
  userId: string,
  params?: Params.SetPasswordCompromisedBody
) => Effect.Effect<Models.User, SetPasswordCompromisedError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.setPasswordCompromised,
  (userId: string, params?: Params.SetPasswordCompromisedBody) => ({ path: [userId], body: params })
)

/**
 * Clears the compromised mark of a user's password.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.unsetPasswordCompromised("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const unsetPasswordCompromised: (
  userId: string
) => Effect.Effect<Models.User, UnsetPasswordCompromisedError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.unsetPasswordCompromised,
  (userId: string) => ({ path: [userId] })
)

/**
 * One page of every organization membership of the instance.
 *
 * Errors: BadRequest, Unauthorized, UnprocessableEntity, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.getInstanceOrganizationMemberships({ orderBy: "-created_at", limit: 100 })
 * ```
 * @since 0.1.0
 * @category operations
 */
export const getInstanceOrganizationMemberships: (
  params?: Params.GetInstanceOrganizationMembershipsQuery
) => Effect.Effect<Models.OrganizationMemberships, GetInstanceOrganizationMembershipsError, ClerkClient> =
  /*#__PURE__*/ operation(
    UsersApi.getInstanceOrganizationMemberships,
    (params?: Params.GetInstanceOrganizationMembershipsQuery) => ({ query: params })
  )

/**
 * Removes a user's password.
 *
 * Errors: BadRequest, Unauthorized, Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.removePassword("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const removePassword: (
  userId: string,
  params?: Params.RemovePasswordBody
) => Effect.Effect<Models.User, RemovePasswordError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.removePassword,
  (userId: string, params?: Params.RemovePasswordBody) => ({ path: [userId], body: params })
)

/**
 * Lists a user's trusted devices.
 *
 * Errors: Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.listTrustedDevices("user_2abc")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const listTrustedDevices: (
  userId: string
) => Effect.Effect<Models.ListTrustedDevicesResponse, ListTrustedDevicesError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.listTrustedDevices,
  (userId: string) => ({ path: [userId] })
)

/**
 * Revokes one trusted device of a user.
 *
 * Errors: Forbidden, NotFound, InternalServerError, TooManyRequests, and the infrastructure errors.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * const program = Users.revokeTrustedDevice("user_2abc", "td_1")
 * ```
 * @since 0.1.0
 * @category operations
 */
export const revokeTrustedDevice: (
  userId: string,
  trustedDeviceId: string
) => Effect.Effect<Models.TrustedDevice, RevokeTrustedDeviceError, ClerkClient> = /*#__PURE__*/ operation(
  UsersApi.revokeTrustedDevice,
  (userId: string, trustedDeviceId: string) => ({ path: [userId, trustedDeviceId] })
)

export {
  /**
   * Deletes a user.
   *
   * Errors: BadRequest, Unauthorized, NotFound, TooManyRequests, and the infrastructure errors.
   *
   * @example
   * ```ts
   * import { Users } from "@effect-clerk/users"
   * const program = Users.delete("user_2abc")
   * ```
   * @since 0.1.0
   * @category operations
   */
  delete_ as delete
}

/**
 * Parameters of `stream`: the filters of `list`, without paging (the stream pages itself); `pageSize` an integer
 * from 1 to 500 (default 500). Read when the stream runs: an unknown key, a `limit`/`offset`/`startingAfter`, a
 * `pageSize` out of range or not a number (no coercion), or a filter of the wrong type fails it with `InvalidInput`.
 *
 * @example
 * ```ts
 * import type { Users } from "@effect-clerk/users"
 * const params: Users.StreamParams = { orderBy: "-created_at", pageSize: 200 }
 * ```
 * @since 0.1.0
 * @category models
 */
export type StreamParams = Omit<Params.ListQuery, "limit" | "offset" | "startingAfter"> & {
  readonly pageSize?: number | undefined
}

const isCreatedAtOrder = (orderBy: string | null | undefined) =>
  orderBy === undefined || orderBy === null || /^[+-]?created_at$/.test(orderBy)

/**
 * Every user matching the filters, lazily, one page per request (500 by default). With the default `created_at`
 * ordering it pages by cursor (`startingAfter`), which costs the same however deep; with another `orderBy` it pages
 * by offset, as Clerk requires. Each user is streamed once (one a server sends again, pages that overlap, is
 * skipped). A server that ignores the cursor or the offset (the same page again) fails the stream with `DecodeError`
 * at once instead of repeating forever.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * import { Stream } from "effect"
 * const emails = Users.stream({ orderBy: "-created_at" }).pipe(
 *   Stream.map((user) => user.emailAddresses[0]?.emailAddress),
 *   Stream.runCollect
 * )
 * ```
 * @since 0.1.0
 * @category streams
 */
export const stream = (
  params: StreamParams = {}
): Stream.Stream<Models.User, ListError, ClerkClient> =>
  Stream.unwrap(
    Effect.map(streamOptions("Users.stream", Params.ListQuery, params), ({ filters, pageSize: limit }) =>
      isCreatedAtOrder(filters.orderBy)
        ? Pagination.cursorStream(
          limit,
          (user: Models.User) =>
            user.id,
          ({ startingAfter }) =>
            list(startingAfter === undefined ? { ...filters, limit } : { ...filters, limit, startingAfter }),
          { operation: "Users.stream" }
        )
        : Pagination.offsetStream(
          limit,
          ({ offset }) => Effect.map(list({ ...filters, limit, offset }), (data) => ({ data })),
          0,
          { keyOf: (user) => user.id, operation: "Users.stream" }
        ))
  )

/**
 * Every organization membership of a user, lazily (offset pages, stops at `totalCount`).
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * import { Stream } from "effect"
 * const orgIds = Users.streamOrganizationMemberships("user_2abc").pipe(Stream.map((m) => m.organization.id), Stream.runCollect)
 * ```
 * @since 0.1.0
 * @category streams
 */
export const streamOrganizationMemberships = (
  userId: string,
  options: { readonly pageSize?: number | undefined } = {}
): Stream.Stream<
  Models.OrganizationMembership,
  GetOrganizationMembershipsError,
  ClerkClient
> =>
  Stream.unwrap(Effect.map(
    streamOptions("Users.streamOrganizationMemberships", Params.GetOrganizationMembershipsQuery, options),
    ({ pageSize }) =>
      Pagination.offsetStream(
        pageSize,
        ({ limit, offset }) => getOrganizationMemberships(userId, { limit, offset }),
        0,
        { keyOf: (membership) => membership.id, operation: "Users.streamOrganizationMemberships" }
      )
  ))

/**
 * Every organization invitation of a user, lazily, optionally by status.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * import { Stream } from "effect"
 * const pending = Users.streamOrganizationInvitations("user_2abc", { status: "pending" }).pipe(Stream.runCollect)
 * ```
 * @since 0.1.0
 * @category streams
 */
export const streamOrganizationInvitations = (
  userId: string,
  options: Omit<Params.GetOrganizationInvitationsQuery, "limit" | "offset"> & {
    readonly pageSize?: number | undefined
  } = {}
): Stream.Stream<
  Models.OrganizationInvitationWithPublicOrganizationData,
  GetOrganizationInvitationsError,
  ClerkClient
> => {
  return Stream.unwrap(Effect.map(
    streamOptions("Users.streamOrganizationInvitations", Params.GetOrganizationInvitationsQuery, options),
    ({ filters, pageSize }) =>
      Pagination.offsetStream(
        pageSize,
        ({ limit, offset }) => getOrganizationInvitations(userId, { ...filters, limit, offset }),
        0,
        { keyOf: (invitation) => invitation.id, operation: "Users.streamOrganizationInvitations" }
      )
  ))
}

/**
 * Every organization membership of the instance, lazily.
 *
 * @example
 * ```ts
 * import { Users } from "@effect-clerk/users"
 * import { Stream } from "effect"
 * const count = Users.streamInstanceOrganizationMemberships({ orderBy: "-created_at" }).pipe(Stream.runCount)
 * ```
 * @since 0.1.0
 * @category streams
 */
export const streamInstanceOrganizationMemberships = (
  options: Omit<Params.GetInstanceOrganizationMembershipsQuery, "limit" | "offset"> & {
    readonly pageSize?: number | undefined
  } = {}
): Stream.Stream<
  Models.OrganizationMembership,
  GetInstanceOrganizationMembershipsError,
  ClerkClient
> => {
  return Stream.unwrap(Effect.map(
    streamOptions(
      "Users.streamInstanceOrganizationMemberships",
      Params.GetInstanceOrganizationMembershipsQuery,
      options
    ),
    ({ filters, pageSize }) =>
      Pagination.offsetStream(
        pageSize,
        ({ limit, offset }) => getInstanceOrganizationMemberships({ ...filters, limit, offset }),
        0,
        { keyOf: (membership) => membership.id, operation: "Users.streamInstanceOrganizationMemberships" }
      )
  ))
}
