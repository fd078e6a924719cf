import { describe, expectTypeOf, it } from "@effect/vitest"
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
import type * as Effect from "effect/Effect"

type ErrorOf<T> = T extends Effect.Effect<infer _A, infer E, infer _R> ? E : never
type ContextOf<T> = T extends Effect.Effect<infer _A, infer _E, infer R> ? R : never

// The error channel of every operation, pinned to the contract (../shared/reference/users-operations.md):
// the documented tags + TooManyRequests + the infrastructure errors. Adding or losing a tag fails the typecheck.
describe("error channels", () => {
  it("list: BadRequest, Unauthorized, UnprocessableEntity", () => {
    const op = Users.list()
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("create: BadRequest, Unauthorized, PaymentRequired, Forbidden, UnprocessableEntity", () => {
    const op = Users.create({})
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | PaymentRequired | Forbidden | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("count: UnprocessableEntity", () => {
    const op = Users.count()
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("get: BadRequest, Unauthorized, NotFound", () => {
    const op = Users.get("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("update: BadRequest, Unauthorized, NotFound, Conflict, UnprocessableEntity", () => {
    const op = Users.update("u", {})
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | Conflict | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("delete: BadRequest, Unauthorized, NotFound", () => {
    const op = Users.delete("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("ban: PaymentRequired", () => {
    const op = Users.ban("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("unban: PaymentRequired", () => {
    const op = Users.unban("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("bulkBan: BadRequest, PaymentRequired", () => {
    const op = Users.bulkBan({ userIds: [] })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("bulkUnban: BadRequest, PaymentRequired", () => {
    const op = Users.bulkUnban({ userIds: [] })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | PaymentRequired | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("lock: Forbidden", () => {
    const op = Users.lock("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("unlock: Forbidden", () => {
    const op = Users.unlock("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("setProfileImage: BadRequest, Unauthorized, NotFound", () => {
    const op = Users.setProfileImage("u", { file: new Blob([]) })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deleteProfileImage: NotFound", () => {
    const op = Users.deleteProfileImage("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("updateMetadata: BadRequest, Unauthorized, NotFound, UnprocessableEntity", () => {
    const op = Users.updateMetadata("u", {})
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getBillingSubscription: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError", () => {
    const op = Users.getBillingSubscription("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getBillingCreditBalance: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity, InternalServerError", () => {
    const op = Users.getBillingCreditBalance("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("adjustBillingCreditBalance: BadRequest, Unauthorized, Forbidden, NotFound, Conflict, UnprocessableEntity, InternalServerError", () => {
    const op = Users.adjustBillingCreditBalance("u", { amount: 1, action: "increase", idempotencyKey: "k" })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | Conflict | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getOAuthAccessToken: BadRequest, NotFound, UnprocessableEntity", () => {
    const op = Users.getOAuthAccessToken("u", "oauth_google")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getOrganizationMemberships: Forbidden", () => {
    const op = Users.getOrganizationMemberships("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getOrganizationInvitations: BadRequest, Forbidden, NotFound", () => {
    const op = Users.getOrganizationInvitations("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Forbidden | NotFound | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("verifyPassword: BadRequest, NotFound, UnprocessableEntity, InternalServerError", () => {
    const op = Users.verifyPassword("u", { password: "p" })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("verifyTotp: BadRequest, NotFound, UnprocessableEntity, InternalServerError", () => {
    const op = Users.verifyTotp("u", { code: "1" })
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | NotFound | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("disableMfa: NotFound, InternalServerError", () => {
    const op = Users.disableMfa("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deleteBackupCodes: NotFound, InternalServerError", () => {
    const op = Users.deleteBackupCodes("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deletePasskey: Forbidden, NotFound, InternalServerError", () => {
    const op = Users.deletePasskey("u", "p")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deleteWeb3Wallet: BadRequest, Forbidden, NotFound, InternalServerError", () => {
    const op = Users.deleteWeb3Wallet("u", "w")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deleteTOTP: NotFound, InternalServerError", () => {
    const op = Users.deleteTOTP("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("deleteExternalAccount: BadRequest, Forbidden, NotFound, InternalServerError", () => {
    const op = Users.deleteExternalAccount("u", "e")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("setPasswordCompromised: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity", () => {
    const op = Users.setPasswordCompromised("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("unsetPasswordCompromised: BadRequest, Unauthorized, Forbidden, NotFound, UnprocessableEntity", () => {
    const op = Users.unsetPasswordCompromised("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("getInstanceOrganizationMemberships: BadRequest, Unauthorized, UnprocessableEntity, InternalServerError", () => {
    const op = Users.getInstanceOrganizationMemberships()
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | UnprocessableEntity | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("replaceMetadata: BadRequest, Unauthorized, NotFound, UnprocessableEntity", () => {
    const op = Users.replaceMetadata("u", {})
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | NotFound | UnprocessableEntity | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("removePassword: BadRequest, Unauthorized, Forbidden, NotFound, InternalServerError", () => {
    const op = Users.removePassword("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<BadRequest | Unauthorized | Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("listTrustedDevices: Forbidden, NotFound, InternalServerError", () => {
    const op = Users.listTrustedDevices("u")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
  it("revokeTrustedDevice: Forbidden, NotFound, InternalServerError", () => {
    const op = Users.revokeTrustedDevice("u", "t")
    expectTypeOf<ErrorOf<typeof op>>().toEqualTypeOf<Forbidden | NotFound | InternalServerError | TooManyRequests | ClerkInfraError>()
    expectTypeOf<ContextOf<typeof op>>().toEqualTypeOf<ClerkClient.ClerkClient>()
  })
})
