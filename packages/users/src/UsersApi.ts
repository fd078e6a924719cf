/**
 * The Users API, described once: one `Endpoint` per operation with its method, path, request schemas, success
 * schema and the statuses Clerk documents for it (`../shared/reference/users-operations.md`: the seed's codes ∪ the
 * spec's). `Users` calls these; the emulator in `@effect-clerk/testing` routes and answers with the same objects.
 *
 * @since 0.1.0
 */
import {
  BadRequest,
  Conflict,
  Forbidden,
  InternalServerError,
  NotFound,
  PaymentRequired,
  Unauthorized,
  UnprocessableEntity
} from "@effect-clerk/core/ClerkError"
import * as Endpoint from "@effect-clerk/core/Endpoint"
import * as Success from "./internal/success.js"
import * as Params from "./Params.js"

/**
 * `GET /users`: list users, newest first.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.list.path) // "/users"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const list = /*#__PURE__*/ Endpoint.make({
  name: "Users.list",
  operationId: "GetUserList",
  method: "GET",
  path: "/users",
  summary: "List all users",
  query: Params.ListQuery,
  success: Success.list,
  errors: [BadRequest, Unauthorized, UnprocessableEntity]
})

/**
 * `POST /users`: create a user. Never retried once it may have reached the server.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.create.idempotent) // false
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const create = /*#__PURE__*/ Endpoint.make({
  name: "Users.create",
  operationId: "CreateUser",
  method: "POST",
  path: "/users",
  summary: "Create a new user",
  body: /*#__PURE__*/ Endpoint.json(Params.CreateBody),
  success: Success.create,
  errors: [BadRequest, Unauthorized, PaymentRequired, Forbidden, UnprocessableEntity],
  idempotent: false
})

/**
 * `GET /users/count`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.count.method) // "GET"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const count = /*#__PURE__*/ Endpoint.make({
  name: "Users.count",
  operationId: "GetUsersCount",
  method: "GET",
  path: "/users/count",
  summary: "Count users",
  query: Params.CountQuery,
  success: Success.count,
  errors: [UnprocessableEntity]
})

/**
 * `GET /users/{user_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.get.pathParams) // ["user_id"]
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const get = /*#__PURE__*/ Endpoint.make({
  name: "Users.get",
  operationId: "GetUser",
  method: "GET",
  path: "/users/{user_id}",
  summary: "Retrieve a user",
  success: Success.get,
  errors: [BadRequest, Unauthorized, NotFound]
})

/**
 * `PATCH /users/{user_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.update.method) // "PATCH"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const update = /*#__PURE__*/ Endpoint.make({
  name: "Users.update",
  operationId: "UpdateUser",
  method: "PATCH",
  path: "/users/{user_id}",
  summary: "Update a user",
  body: /*#__PURE__*/ Endpoint.json(Params.UpdateBody),
  success: Success.update,
  errors: [BadRequest, Unauthorized, NotFound, Conflict, UnprocessableEntity]
})

/**
 * `DELETE /users/{user_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.delete.method) // "DELETE"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
const delete_ = /*#__PURE__*/ Endpoint.make({
  name: "Users.delete",
  operationId: "DeleteUser",
  method: "DELETE",
  path: "/users/{user_id}",
  summary: "Delete a user",
  success: Success.delete_,
  errors: [BadRequest, Unauthorized, NotFound]
})
export {
  /**
   * `DELETE /users/{user_id}`.
   *
   * @since 0.1.0
   * @category endpoints
   */
  delete_ as delete
}

/**
 * `POST /users/{user_id}/ban`. Setting a state: safe to repeat.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.ban.idempotent) // true
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const ban = /*#__PURE__*/ Endpoint.make({
  name: "Users.ban",
  operationId: "BanUser",
  method: "POST",
  path: "/users/{user_id}/ban",
  summary: "Ban a user",
  success: Success.ban,
  errors: [PaymentRequired],
  idempotent: true
})

/**
 * `POST /users/{user_id}/unban`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.unban.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const unban = /*#__PURE__*/ Endpoint.make({
  name: "Users.unban",
  operationId: "UnbanUser",
  method: "POST",
  path: "/users/{user_id}/unban",
  summary: "Unban a user",
  success: Success.unban,
  errors: [PaymentRequired],
  idempotent: true
})

/**
 * `POST /users/ban`: ban many users at once.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.bulkBan.path) // "/users/ban"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const bulkBan = /*#__PURE__*/ Endpoint.make({
  name: "Users.bulkBan",
  operationId: "UsersBan",
  method: "POST",
  path: "/users/ban",
  summary: "Ban multiple users",
  body: /*#__PURE__*/ Endpoint.json(Params.BulkBanBody),
  success: Success.bulkBan,
  errors: [BadRequest, PaymentRequired],
  idempotent: true
})

/**
 * `POST /users/unban`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.bulkUnban.path) // "/users/unban"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const bulkUnban = /*#__PURE__*/ Endpoint.make({
  name: "Users.bulkUnban",
  operationId: "UsersUnban",
  method: "POST",
  path: "/users/unban",
  summary: "Unban multiple users",
  body: /*#__PURE__*/ Endpoint.json(Params.BulkUnbanBody),
  success: Success.bulkUnban,
  errors: [BadRequest, PaymentRequired],
  idempotent: true
})

/**
 * `POST /users/{user_id}/lock`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.lock.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const lock = /*#__PURE__*/ Endpoint.make({
  name: "Users.lock",
  operationId: "LockUser",
  method: "POST",
  path: "/users/{user_id}/lock",
  summary: "Lock a user",
  success: Success.lock,
  errors: [Forbidden],
  idempotent: true
})

/**
 * `POST /users/{user_id}/unlock`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.unlock.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const unlock = /*#__PURE__*/ Endpoint.make({
  name: "Users.unlock",
  operationId: "UnlockUser",
  method: "POST",
  path: "/users/{user_id}/unlock",
  summary: "Unlock a user",
  success: Success.unlock,
  errors: [Forbidden],
  idempotent: true
})

/**
 * `POST /users/{user_id}/profile_image` (multipart, field `file`).
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.setProfileImage.body._tag) // "Multipart"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const setProfileImage = /*#__PURE__*/ Endpoint.make({
  name: "Users.setProfileImage",
  operationId: "SetUserProfileImage",
  method: "POST",
  path: "/users/{user_id}/profile_image",
  summary: "Set user profile image",
  body: /*#__PURE__*/ Endpoint.multipart(["file"]),
  success: Success.setProfileImage,
  errors: [BadRequest, Unauthorized, NotFound],
  idempotent: true
})

/**
 * `DELETE /users/{user_id}/profile_image`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deleteProfileImage.method) // "DELETE"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deleteProfileImage = /*#__PURE__*/ Endpoint.make({
  name: "Users.deleteProfileImage",
  operationId: "DeleteUserProfileImage",
  method: "DELETE",
  path: "/users/{user_id}/profile_image",
  summary: "Delete user profile image",
  success: Success.deleteProfileImage,
  errors: [NotFound]
})

/**
 * `PATCH /users/{user_id}/metadata`: deep merge, `null` deletes a key.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.updateMetadata.method) // "PATCH"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const updateMetadata = /*#__PURE__*/ Endpoint.make({
  name: "Users.updateMetadata",
  operationId: "UpdateUserMetadata",
  method: "PATCH",
  path: "/users/{user_id}/metadata",
  summary: "Merge and update a user's metadata",
  body: /*#__PURE__*/ Endpoint.json(Params.UpdateMetadataBody),
  success: Success.updateMetadata,
  errors: [BadRequest, Unauthorized, NotFound, UnprocessableEntity]
})

/**
 * `PUT /users/{user_id}/metadata`: replace the metadata objects given.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.replaceMetadata.method) // "PUT"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const replaceMetadata = /*#__PURE__*/ Endpoint.make({
  name: "Users.replaceMetadata",
  operationId: "ReplaceUserMetadata",
  method: "PUT",
  path: "/users/{user_id}/metadata",
  summary: "Replace a user's metadata",
  body: /*#__PURE__*/ Endpoint.json(Params.ReplaceMetadataBody),
  success: Success.replaceMetadata,
  errors: [BadRequest, Unauthorized, NotFound, UnprocessableEntity]
})

/**
 * `GET /users/{user_id}/billing/subscription`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getBillingSubscription.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getBillingSubscription = /*#__PURE__*/ Endpoint.make({
  name: "Users.getBillingSubscription",
  operationId: "GetUserBillingSubscription",
  method: "GET",
  path: "/users/{user_id}/billing/subscription",
  summary: "Retrieve a user's billing subscription",
  success: Success.getBillingSubscription,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError]
})

/**
 * `GET /users/{user_id}/billing/credits`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getBillingCreditBalance.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getBillingCreditBalance = /*#__PURE__*/ Endpoint.make({
  name: "Users.getBillingCreditBalance",
  operationId: "GetUserBillingCreditBalance",
  method: "GET",
  path: "/users/{user_id}/billing/credits",
  summary: "Retrieve a user's credit balance",
  success: Success.getBillingCreditBalance,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError]
})

/**
 * `POST /users/{user_id}/billing/credits`: carries an idempotency key, so it is safe to retry.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.adjustBillingCreditBalance.idempotent) // "keyed"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const adjustBillingCreditBalance = /*#__PURE__*/ Endpoint.make({
  name: "Users.adjustBillingCreditBalance",
  operationId: "AdjustUserBillingCreditBalance",
  method: "POST",
  path: "/users/{user_id}/billing/credits",
  summary: "Adjust a user's credit balance",
  body: /*#__PURE__*/ Endpoint.json(Params.AdjustBillingCreditBalanceBody),
  success: Success.adjustBillingCreditBalance,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnprocessableEntity, InternalServerError],
  idempotent: "keyed"
})

/**
 * `GET /users/{user_id}/oauth_access_tokens/{provider}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getOAuthAccessToken.pathParams) // ["user_id", "provider"]
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getOAuthAccessToken = /*#__PURE__*/ Endpoint.make({
  name: "Users.getOAuthAccessToken",
  operationId: "GetOAuthAccessToken",
  method: "GET",
  path: "/users/{user_id}/oauth_access_tokens/{provider}",
  summary: "Retrieve the OAuth access token of a user",
  query: Params.GetOAuthAccessTokenQuery,
  success: Success.getOAuthAccessToken,
  errors: [BadRequest, NotFound, UnprocessableEntity]
})

/**
 * `GET /users/{user_id}/organization_memberships`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getOrganizationMemberships.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getOrganizationMemberships = /*#__PURE__*/ Endpoint.make({
  name: "Users.getOrganizationMemberships",
  operationId: "UsersGetOrganizationMemberships",
  method: "GET",
  path: "/users/{user_id}/organization_memberships",
  summary: "Retrieve all memberships for a user",
  query: Params.GetOrganizationMembershipsQuery,
  success: Success.getOrganizationMemberships,
  errors: [Forbidden]
})

/**
 * `GET /users/{user_id}/organization_invitations`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getOrganizationInvitations.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getOrganizationInvitations = /*#__PURE__*/ Endpoint.make({
  name: "Users.getOrganizationInvitations",
  operationId: "UsersGetOrganizationInvitations",
  method: "GET",
  path: "/users/{user_id}/organization_invitations",
  summary: "Retrieve all invitations for a user",
  query: Params.GetOrganizationInvitationsQuery,
  success: Success.getOrganizationInvitations,
  errors: [BadRequest, Forbidden, NotFound]
})

/**
 * `POST /users/{user_id}/verify_password`: a read, safe to repeat.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.verifyPassword.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const verifyPassword = /*#__PURE__*/ Endpoint.make({
  name: "Users.verifyPassword",
  operationId: "VerifyPassword",
  method: "POST",
  path: "/users/{user_id}/verify_password",
  summary: "Verify the password of a user",
  body: /*#__PURE__*/ Endpoint.json(Params.VerifyPasswordBody),
  success: Success.verifyPassword,
  errors: [BadRequest, NotFound, UnprocessableEntity, InternalServerError],
  idempotent: true
})

/**
 * `POST /users/{user_id}/verify_totp`: not repeated blindly, a backup code is consumed on use.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.verifyTotp.idempotent) // false
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const verifyTotp = /*#__PURE__*/ Endpoint.make({
  name: "Users.verifyTotp",
  operationId: "VerifyTOTP",
  method: "POST",
  path: "/users/{user_id}/verify_totp",
  summary: "Verify a TOTP or backup code for a user",
  body: /*#__PURE__*/ Endpoint.json(Params.VerifyTotpBody),
  success: Success.verifyTotp,
  errors: [BadRequest, NotFound, UnprocessableEntity, InternalServerError],
  idempotent: false
})

/**
 * `DELETE /users/{user_id}/mfa`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.disableMfa.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const disableMfa = /*#__PURE__*/ Endpoint.make({
  name: "Users.disableMfa",
  operationId: "DisableMFA",
  method: "DELETE",
  path: "/users/{user_id}/mfa",
  summary: "Disable a user's MFA methods",
  success: Success.disableMfa,
  errors: [NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/backup_code`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deleteBackupCodes.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deleteBackupCodes = /*#__PURE__*/ Endpoint.make({
  name: "Users.deleteBackupCodes",
  operationId: "DeleteBackupCode",
  method: "DELETE",
  path: "/users/{user_id}/backup_code",
  summary: "Disable all user's Backup codes",
  success: Success.deleteBackupCodes,
  errors: [NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/passkeys/{passkey_identification_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deletePasskey.pathParams)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deletePasskey = /*#__PURE__*/ Endpoint.make({
  name: "Users.deletePasskey",
  operationId: "UserPasskeyDelete",
  method: "DELETE",
  path: "/users/{user_id}/passkeys/{passkey_identification_id}",
  summary: "Delete a user passkey",
  success: Success.deletePasskey,
  errors: [Forbidden, NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/web3_wallets/{web3_wallet_identification_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deleteWeb3Wallet.pathParams)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deleteWeb3Wallet = /*#__PURE__*/ Endpoint.make({
  name: "Users.deleteWeb3Wallet",
  operationId: "UserWeb3WalletDelete",
  method: "DELETE",
  path: "/users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
  summary: "Delete a user web3 wallet",
  success: Success.deleteWeb3Wallet,
  errors: [BadRequest, Forbidden, NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/totp`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deleteTOTP.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deleteTOTP = /*#__PURE__*/ Endpoint.make({
  name: "Users.deleteTOTP",
  operationId: "DeleteTOTP",
  method: "DELETE",
  path: "/users/{user_id}/totp",
  summary: "Delete all the user's TOTPs",
  success: Success.deleteTOTP,
  errors: [NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/external_accounts/{external_account_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.deleteExternalAccount.pathParams)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const deleteExternalAccount = /*#__PURE__*/ Endpoint.make({
  name: "Users.deleteExternalAccount",
  operationId: "DeleteExternalAccount",
  method: "DELETE",
  path: "/users/{user_id}/external_accounts/{external_account_id}",
  summary: "Delete External Account",
  success: Success.deleteExternalAccount,
  errors: [BadRequest, Forbidden, NotFound, InternalServerError]
})

/**
 * `POST /users/{user_id}/password/set_compromised`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.setPasswordCompromised.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const setPasswordCompromised = /*#__PURE__*/ Endpoint.make({
  name: "Users.setPasswordCompromised",
  operationId: "SetUserPasswordCompromised",
  method: "POST",
  path: "/users/{user_id}/password/set_compromised",
  summary: "Set a user's password as compromised",
  body: /*#__PURE__*/ Endpoint.json(Params.SetPasswordCompromisedBody),
  success: Success.setPasswordCompromised,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity],
  idempotent: true
})

/**
 * `POST /users/{user_id}/password/unset_compromised`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.unsetPasswordCompromised.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const unsetPasswordCompromised = /*#__PURE__*/ Endpoint.make({
  name: "Users.unsetPasswordCompromised",
  operationId: "UnsetUserPasswordCompromised",
  method: "POST",
  path: "/users/{user_id}/password/unset_compromised",
  summary: "Unset a user's password as compromised",
  success: Success.unsetPasswordCompromised,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity],
  idempotent: true
})

/**
 * `GET /organization_memberships`: every membership of the instance.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.getInstanceOrganizationMemberships.path) // "/organization_memberships"
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const getInstanceOrganizationMemberships = /*#__PURE__*/ Endpoint.make({
  name: "Users.getInstanceOrganizationMemberships",
  operationId: "InstanceGetOrganizationMemberships",
  method: "GET",
  path: "/organization_memberships",
  summary: "Get a list of all organization memberships within an instance.",
  query: Params.GetInstanceOrganizationMembershipsQuery,
  success: Success.getInstanceOrganizationMemberships,
  errors: [BadRequest, Unauthorized, UnprocessableEntity, InternalServerError]
})

/**
 * `POST /users/{user_id}/remove_password`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.removePassword.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const removePassword = /*#__PURE__*/ Endpoint.make({
  name: "Users.removePassword",
  operationId: "RemoveUserPassword",
  method: "POST",
  path: "/users/{user_id}/remove_password",
  summary: "Remove a user's password",
  body: /*#__PURE__*/ Endpoint.json(Params.RemovePasswordBody),
  success: Success.removePassword,
  errors: [BadRequest, Unauthorized, Forbidden, NotFound, InternalServerError],
  idempotent: true
})

/**
 * `GET /users/{user_id}/trusted_devices`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.listTrustedDevices.path)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const listTrustedDevices = /*#__PURE__*/ Endpoint.make({
  name: "Users.listTrustedDevices",
  operationId: "ListUserTrustedDevices",
  method: "GET",
  path: "/users/{user_id}/trusted_devices",
  summary: "List a user's trusted devices",
  success: Success.listTrustedDevices,
  errors: [Forbidden, NotFound, InternalServerError]
})

/**
 * `DELETE /users/{user_id}/trusted_devices/{trusted_device_id}`.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.revokeTrustedDevice.pathParams)
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const revokeTrustedDevice = /*#__PURE__*/ Endpoint.make({
  name: "Users.revokeTrustedDevice",
  operationId: "RevokeUserTrustedDevice",
  method: "DELETE",
  path: "/users/{user_id}/trusted_devices/{trusted_device_id}",
  summary: "Revoke a user's trusted device",
  success: Success.revokeTrustedDevice,
  errors: [Forbidden, NotFound, InternalServerError]
})

/**
 * Every endpoint of the Users API, for routers, conformance checks and docs.
 *
 * @example
 * ```ts
 * import { UsersApi } from "@effect-clerk/users"
 * console.log(UsersApi.all.length) // 36
 * ```
 * @since 0.1.0
 * @category endpoints
 */
export const all: ReadonlyArray<Endpoint.Any> = [
  list,
  create,
  count,
  get,
  update,
  delete_,
  ban,
  unban,
  bulkBan,
  bulkUnban,
  lock,
  unlock,
  setProfileImage,
  deleteProfileImage,
  updateMetadata,
  replaceMetadata,
  getBillingSubscription,
  getBillingCreditBalance,
  adjustBillingCreditBalance,
  getOAuthAccessToken,
  getOrganizationMemberships,
  getOrganizationInvitations,
  verifyPassword,
  verifyTotp,
  disableMfa,
  deleteBackupCodes,
  deletePasskey,
  deleteWeb3Wallet,
  deleteTOTP,
  deleteExternalAccount,
  setPasswordCompromised,
  unsetPasswordCompromised,
  getInstanceOrganizationMemberships,
  removePassword,
  listTrustedDevices,
  revokeTrustedDevice
]
