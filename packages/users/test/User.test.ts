import { ClerkTest } from "@effect-clerk/testing"
import { User, Users } from "@effect-clerk/users"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"

describe("User helpers", () => {
  it.effect("primary email address, phone number and web3 wallet of a created user; none when absent", () =>
    Effect.gen(function*() {
      const ada = yield* Users.create({
        emailAddress: ["ada@example.com", "lovelace@example.com"],
        phoneNumber: ["+15555550100"],
        web3Wallet: ["0x0000000000000000000000000000000000000001"],
        firstName: "Ada",
        lastName: "Lovelace"
      })
      expect(Option.map(User.primaryEmailAddress(ada), (e) => e.emailAddress)).toEqual(Option.some("ada@example.com"))
      expect(Option.map(User.primaryPhoneNumber(ada), (p) => p.phoneNumber)).toEqual(Option.some("+15555550100"))
      expect(Option.map(User.primaryWeb3Wallet(ada), (w) => w.web3Wallet)).toEqual(
        Option.some("0x0000000000000000000000000000000000000001")
      )
      expect(User.fullName(ada)).toEqual(Option.some("Ada Lovelace"))

      const bare = yield* Users.create({ username: "bare_user", skipPasswordRequirement: true })
      expect(User.primaryEmailAddress(bare)).toEqual(Option.none())
      expect(User.primaryPhoneNumber(bare)).toEqual(Option.none())
      expect(User.primaryWeb3Wallet(bare)).toEqual(Option.none())
      expect(User.fullName(bare)).toEqual(Option.none())

      // the primary follows primaryEmailAddressId, not the order of the list
      const secondId = ada.emailAddresses[1]!.id ?? ""
      expect(secondId).toMatch(/^idn_/)
      expect(Option.map(User.primaryEmailAddress({ ...ada, primaryEmailAddressId: secondId }), (e) => e.id))
        .toEqual(Option.some(secondId))
      expect(User.primaryEmailAddress({ ...ada, primaryEmailAddressId: "idn_gone" })).toEqual(Option.none())
    }).pipe(Effect.provide(ClerkTest.layer)))

  it("fullName joins what is there, like @clerk/backend's", () => {
    expect(User.fullName({ firstName: "Ada", lastName: null })).toEqual(Option.some("Ada"))
    expect(User.fullName({ firstName: null, lastName: "Lovelace" })).toEqual(Option.some("Lovelace"))
    expect(User.fullName({ firstName: " ", lastName: "" })).toEqual(Option.none())
  })
})
