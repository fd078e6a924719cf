/**
 * The benchmarks' seed user: a rich Clerk user (two emails, a phone, metadata, a passkey, an OAuth account), the
 * shape whose decoding and encoding the benchmarks measure. Shared by `bench/run.ts` and `bench/profile-client.ts`.
 */
export const richUser = (i: number) => ({
  emailAddress: [`user${i}@example.com`, `alt${i}@example.org`],
  phoneNumber: [`+1555${String(1000000 + i).slice(-7)}`],
  username: `user_${i}`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  externalId: `ext-${i}`,
  publicMetadata: { plan: i % 3 === 0 ? "pro" : "free", tags: ["a", "b"], nested: { score: i } },
  privateMetadata: { crm: `c-${i}` },
  passkeys: [{ name: "YubiKey" }],
  externalAccounts: [{ provider: "oauth_google", providerUserId: `g-${i}` }],
  lastSignInAt: 1_700_000_000_000 + i,
  lastActiveAt: 1_700_000_000_000 + i
})
