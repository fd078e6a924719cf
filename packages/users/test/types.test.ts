import type {
  BadRequest,
  ClerkClient,
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
import type { Endpoint } from "@effect-clerk/core"
import { Users, UsersApi } from "@effect-clerk/users"
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as Effect from "effect/Effect"

type ErrorOf<T> = T extends Effect.Effect<infer _A, infer E, infer _R> ? E : never
type SuccessOf<T> = T extends Effect.Effect<infer A, infer _E, infer _R> ? A : never
type ContextOf<T> = T extends Effect.Effect<infer _A, infer _E, infer R> ? R : never

// The error channel of every operation, pinned to the contract (../shared/reference/users-operations.md):
// the documented tags + TooManyRequests + the infrastructure errors. Adding or losing a tag fails the typecheck.
describe("error channels", () => {
  it("list: BadRequest, Unauthorized, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.list>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("create: BadRequest, Unauthorized, PaymentRequired, Forbidden, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.create>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | PaymentRequired | Forbidden | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("count: UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.count>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("get: BadRequest, Unauthorized, NotFound", () => {
    type Op = ReturnType<typeof Users.get>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("update: BadRequest, Unauthorized, NotFound, Conflict, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.update>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | Conflict | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("delete: BadRequest, Unauthorized, NotFound", () => {
    type Op = ReturnType<typeof Users.delete>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("ban: PaymentRequired", () => {
    type Op = ReturnType<typeof Users.ban>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("unban: PaymentRequired", () => {
    type Op = ReturnType<typeof Users.unban>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("bulkBan: BadRequest, PaymentRequired", () => {
    type Op = ReturnType<typeof Users.bulkBan>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("bulkUnban: BadRequest, PaymentRequired", () => {
    type Op = ReturnType<typeof Users.bulkUnban>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("lock: Forbidden", () => {
    type Op = ReturnType<typeof Users.lock>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("unlock: Forbidden", () => {
    type Op = ReturnType<typeof Users.unlock>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("setProfileImage: BadRequest, Unauthorized, NotFound", () => {
    type Op = ReturnType<typeof Users.setProfileImage>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deleteProfileImage: NotFound", () => {
    type Op = ReturnType<typeof Users.deleteProfileImage>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("updateMetadata: BadRequest, Unauthorized, NotFound, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.updateMetadata>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getBillingSubscription: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.getBillingSubscription>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      | BadRequest
      | Unauthorized
      | Forbidden
      | NotFound
      | UnprocessableEntity
      | InternalServerError
      | TooManyRequests
      | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getBillingCreditBalance: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.getBillingCreditBalance>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      | BadRequest
      | Unauthorized
      | Forbidden
      | NotFound
      | UnprocessableEntity
      | InternalServerError
      | TooManyRequests
      | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("adjustBillingCreditBalance: BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.adjustBillingCreditBalance>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      | BadRequest
      | Unauthorized
      | Forbidden
      | NotFound
      | Conflict
      | UnprocessableEntity
      | InternalServerError
      | TooManyRequests
      | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getOAuthAccessToken: BadRequest, NotFound, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.getOAuthAccessToken>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getOrganizationMemberships: Forbidden", () => {
    type Op = ReturnType<typeof Users.getOrganizationMemberships>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getOrganizationInvitations: BadRequest, Forbidden, NotFound", () => {
    type Op = ReturnType<typeof Users.getOrganizationInvitations>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Forbidden | NotFound | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("verifyPassword: BadRequest, NotFound, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.verifyPassword>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("verifyTotp: BadRequest, NotFound, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.verifyTotp>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("disableMfa: NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.disableMfa>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deleteBackupCodes: NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.deleteBackupCodes>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deletePasskey: Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.deletePasskey>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deleteWeb3Wallet: BadRequest, Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.deleteWeb3Wallet>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deleteTOTP: NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.deleteTOTP>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("deleteExternalAccount: BadRequest, Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.deleteExternalAccount>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("setPasswordCompromised: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.setPasswordCompromised>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("unsetPasswordCompromised: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.unsetPasswordCompromised>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("getInstanceOrganizationMemberships: BadRequest, Unauthorized, UnprocessableEntity, InternalServerError", () => {
    type Op = ReturnType<typeof Users.getInstanceOrganizationMemberships>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("replaceMetadata: BadRequest, Unauthorized, NotFound, UnprocessableEntity", () => {
    type Op = ReturnType<typeof Users.replaceMetadata>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("removePassword: BadRequest, Unauthorized, Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.removePassword>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      BadRequest | Unauthorized | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("listTrustedDevices: Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.listTrustedDevices>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
  it("revokeTrustedDevice: Forbidden, NotFound, InternalServerError", () => {
    type Op = ReturnType<typeof Users.revokeTrustedDevice>
    expectTypeOf<ErrorOf<Op>>().toEqualTypeOf<
      Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError
    >()
    expectTypeOf<ContextOf<Op>>().toEqualTypeOf<ClerkClient>()
  })
})

// Each named error union is exactly the endpoint's channel (what `Endpoint.call` can fail with), so the declared
// operation types cannot drift from the endpoint descriptions.
describe("named error unions", () => {
  it("ListError", () => {
    expectTypeOf<Users.ListError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.list>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.list>>>().toEqualTypeOf<Users.ListError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.list>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.list>>()
  })
  it("CreateError", () => {
    expectTypeOf<Users.CreateError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.create>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.create>>>().toEqualTypeOf<Users.CreateError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.create>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.create>>()
  })
  it("CountError", () => {
    expectTypeOf<Users.CountError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.count>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.count>>>().toEqualTypeOf<Users.CountError>()
  })
  it("GetError", () => {
    expectTypeOf<Users.GetError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.get>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.get>>>().toEqualTypeOf<Users.GetError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.get>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.get>>()
  })
  it("UpdateError", () => {
    expectTypeOf<Users.UpdateError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.update>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.update>>>().toEqualTypeOf<Users.UpdateError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.update>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.update>>()
  })
  it("DeleteError", () => {
    expectTypeOf<Users.DeleteError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.delete>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.delete>>>().toEqualTypeOf<Users.DeleteError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.delete>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.delete>>()
  })
  it("BanError", () => {
    expectTypeOf<Users.BanError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.ban>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.ban>>>().toEqualTypeOf<Users.BanError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.ban>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.ban>>()
  })
  it("UnbanError", () => {
    expectTypeOf<Users.UnbanError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.unban>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.unban>>>().toEqualTypeOf<Users.UnbanError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.unban>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.unban>>()
  })
  it("BulkBanError", () => {
    expectTypeOf<Users.BulkBanError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.bulkBan>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.bulkBan>>>().toEqualTypeOf<Users.BulkBanError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.bulkBan>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.bulkBan>
    >()
  })
  it("BulkUnbanError", () => {
    expectTypeOf<Users.BulkUnbanError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.bulkUnban>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.bulkUnban>>>().toEqualTypeOf<Users.BulkUnbanError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.bulkUnban>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.bulkUnban>
    >()
  })
  it("LockError", () => {
    expectTypeOf<Users.LockError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.lock>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.lock>>>().toEqualTypeOf<Users.LockError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.lock>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.lock>>()
  })
  it("UnlockError", () => {
    expectTypeOf<Users.UnlockError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.unlock>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.unlock>>>().toEqualTypeOf<Users.UnlockError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.unlock>>>().toEqualTypeOf<Endpoint.Success<typeof UsersApi.unlock>>()
  })
  it("SetProfileImageError", () => {
    expectTypeOf<Users.SetProfileImageError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.setProfileImage>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.setProfileImage>>>().toEqualTypeOf<Users.SetProfileImageError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.setProfileImage>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.setProfileImage>
    >()
  })
  it("DeleteProfileImageError", () => {
    expectTypeOf<Users.DeleteProfileImageError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.deleteProfileImage>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deleteProfileImage>>>().toEqualTypeOf<Users.DeleteProfileImageError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deleteProfileImage>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deleteProfileImage>
    >()
  })
  it("UpdateMetadataError", () => {
    expectTypeOf<Users.UpdateMetadataError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.updateMetadata>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.updateMetadata>>>().toEqualTypeOf<Users.UpdateMetadataError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.updateMetadata>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.updateMetadata>
    >()
  })
  it("ReplaceMetadataError", () => {
    expectTypeOf<Users.ReplaceMetadataError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.replaceMetadata>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.replaceMetadata>>>().toEqualTypeOf<Users.ReplaceMetadataError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.replaceMetadata>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.replaceMetadata>
    >()
  })
  it("GetBillingSubscriptionError", () => {
    expectTypeOf<Users.GetBillingSubscriptionError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.getBillingSubscription>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getBillingSubscription>>>().toEqualTypeOf<
      Users.GetBillingSubscriptionError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getBillingSubscription>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getBillingSubscription>
    >()
  })
  it("GetBillingCreditBalanceError", () => {
    expectTypeOf<Users.GetBillingCreditBalanceError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.getBillingCreditBalance>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getBillingCreditBalance>>>().toEqualTypeOf<
      Users.GetBillingCreditBalanceError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getBillingCreditBalance>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getBillingCreditBalance>
    >()
  })
  it("AdjustBillingCreditBalanceError", () => {
    expectTypeOf<Users.AdjustBillingCreditBalanceError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.adjustBillingCreditBalance>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.adjustBillingCreditBalance>>>().toEqualTypeOf<
      Users.AdjustBillingCreditBalanceError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.adjustBillingCreditBalance>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.adjustBillingCreditBalance>
    >()
  })
  it("GetOAuthAccessTokenError", () => {
    expectTypeOf<Users.GetOAuthAccessTokenError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.getOAuthAccessToken>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getOAuthAccessToken>>>().toEqualTypeOf<
      Users.GetOAuthAccessTokenError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getOAuthAccessToken>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getOAuthAccessToken>
    >()
  })
  it("GetOrganizationMembershipsError", () => {
    expectTypeOf<Users.GetOrganizationMembershipsError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.getOrganizationMemberships>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getOrganizationMemberships>>>().toEqualTypeOf<
      Users.GetOrganizationMembershipsError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getOrganizationMemberships>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getOrganizationMemberships>
    >()
  })
  it("GetOrganizationInvitationsError", () => {
    expectTypeOf<Users.GetOrganizationInvitationsError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.getOrganizationInvitations>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getOrganizationInvitations>>>().toEqualTypeOf<
      Users.GetOrganizationInvitationsError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getOrganizationInvitations>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getOrganizationInvitations>
    >()
  })
  it("VerifyPasswordError", () => {
    expectTypeOf<Users.VerifyPasswordError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.verifyPassword>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.verifyPassword>>>().toEqualTypeOf<Users.VerifyPasswordError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.verifyPassword>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.verifyPassword>
    >()
  })
  it("VerifyTotpError", () => {
    expectTypeOf<Users.VerifyTotpError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.verifyTotp>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.verifyTotp>>>().toEqualTypeOf<Users.VerifyTotpError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.verifyTotp>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.verifyTotp>
    >()
  })
  it("DisableMfaError", () => {
    expectTypeOf<Users.DisableMfaError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.disableMfa>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.disableMfa>>>().toEqualTypeOf<Users.DisableMfaError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.disableMfa>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.disableMfa>
    >()
  })
  it("DeleteBackupCodesError", () => {
    expectTypeOf<Users.DeleteBackupCodesError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.deleteBackupCodes>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deleteBackupCodes>>>().toEqualTypeOf<Users.DeleteBackupCodesError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deleteBackupCodes>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deleteBackupCodes>
    >()
  })
  it("DeletePasskeyError", () => {
    expectTypeOf<Users.DeletePasskeyError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.deletePasskey>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deletePasskey>>>().toEqualTypeOf<Users.DeletePasskeyError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deletePasskey>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deletePasskey>
    >()
  })
  it("DeleteWeb3WalletError", () => {
    expectTypeOf<Users.DeleteWeb3WalletError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.deleteWeb3Wallet>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deleteWeb3Wallet>>>().toEqualTypeOf<Users.DeleteWeb3WalletError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deleteWeb3Wallet>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deleteWeb3Wallet>
    >()
  })
  it("DeleteTOTPError", () => {
    expectTypeOf<Users.DeleteTOTPError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.deleteTOTP>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deleteTOTP>>>().toEqualTypeOf<Users.DeleteTOTPError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deleteTOTP>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deleteTOTP>
    >()
  })
  it("DeleteExternalAccountError", () => {
    expectTypeOf<Users.DeleteExternalAccountError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.deleteExternalAccount>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.deleteExternalAccount>>>().toEqualTypeOf<
      Users.DeleteExternalAccountError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.deleteExternalAccount>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.deleteExternalAccount>
    >()
  })
  it("SetPasswordCompromisedError", () => {
    expectTypeOf<Users.SetPasswordCompromisedError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.setPasswordCompromised>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.setPasswordCompromised>>>().toEqualTypeOf<
      Users.SetPasswordCompromisedError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.setPasswordCompromised>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.setPasswordCompromised>
    >()
  })
  it("UnsetPasswordCompromisedError", () => {
    expectTypeOf<Users.UnsetPasswordCompromisedError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.unsetPasswordCompromised>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.unsetPasswordCompromised>>>().toEqualTypeOf<
      Users.UnsetPasswordCompromisedError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.unsetPasswordCompromised>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.unsetPasswordCompromised>
    >()
  })
  it("GetInstanceOrganizationMembershipsError", () => {
    expectTypeOf<Users.GetInstanceOrganizationMembershipsError>().toEqualTypeOf<
      Endpoint.Error<typeof UsersApi.getInstanceOrganizationMemberships>
    >()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.getInstanceOrganizationMemberships>>>().toEqualTypeOf<
      Users.GetInstanceOrganizationMembershipsError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.getInstanceOrganizationMemberships>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.getInstanceOrganizationMemberships>
    >()
  })
  it("RemovePasswordError", () => {
    expectTypeOf<Users.RemovePasswordError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.removePassword>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.removePassword>>>().toEqualTypeOf<Users.RemovePasswordError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.removePassword>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.removePassword>
    >()
  })
  it("ListTrustedDevicesError", () => {
    expectTypeOf<Users.ListTrustedDevicesError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.listTrustedDevices>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.listTrustedDevices>>>().toEqualTypeOf<Users.ListTrustedDevicesError>()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.listTrustedDevices>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.listTrustedDevices>
    >()
  })
  it("RevokeTrustedDeviceError", () => {
    expectTypeOf<Users.RevokeTrustedDeviceError>().toEqualTypeOf<Endpoint.Error<typeof UsersApi.revokeTrustedDevice>>()
    expectTypeOf<ErrorOf<ReturnType<typeof Users.revokeTrustedDevice>>>().toEqualTypeOf<
      Users.RevokeTrustedDeviceError
    >()
    expectTypeOf<SuccessOf<ReturnType<typeof Users.revokeTrustedDevice>>>().toEqualTypeOf<
      Endpoint.Success<typeof UsersApi.revokeTrustedDevice>
    >()
  })
  it("count succeeds with the number", () => {
    expectTypeOf<SuccessOf<ReturnType<typeof Users.count>>>().toEqualTypeOf<number>()
  })
})
