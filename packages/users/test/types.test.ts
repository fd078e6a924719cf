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
import { Users } from "@effect-clerk/users"
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as Effect from "effect/Effect"

type ErrorOf<T> = T extends Effect.Effect<infer _A, infer E, infer _R> ? E : never
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
