import type { Models } from "@effect-clerk/users"
import type {
  DeepReadonly,
  StateView,
  StoredIdentifier,
  StoredInvitation,
  StoredMembership,
  StoredTrustedDevice,
  UserView
} from "./state.js"

const adminVerification = {
  object: "verification_admin",
  status: "verified",
  strategy: "admin",
  attempts: null,
  expireAt: null
} as const

const identification = (type: string, id: string) => ({ type, id })

/** @internal */
export const lockoutRemaining = (user: UserView, lockoutSeconds: number | null, now: number): number | null => {
  if (user.lockedAt === null || lockoutSeconds === null) return null
  return Math.max(0, Math.ceil((user.lockedAt + lockoutSeconds * 1000 - now) / 1000))
}

/** @internal */
export const isLocked = (user: UserView, lockoutSeconds: number | null, now: number): boolean =>
  user.lockedAt !== null && (lockoutSeconds === null || user.lockedAt + lockoutSeconds * 1000 > now)

const email = (user: UserView) => (e: DeepReadonly<StoredIdentifier>): Models.EmailAddress => ({
  id: e.id,
  object: "email_address",
  emailAddress: e.value,
  reserved: e.reserved,
  verification: e.reserved ? null : adminVerification,
  linkedTo: user.externalAccounts
    .filter((account) => account.emailAddress.toLowerCase() === e.value.toLowerCase())
    .map((account) => identification(account.provider, account.identificationId)),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt
})

const phone = (p: DeepReadonly<StoredIdentifier>): Models.PhoneNumber => ({
  id: p.id,
  object: "phone_number",
  phoneNumber: p.value,
  reservedForSecondFactor: false,
  defaultSecondFactor: false,
  reserved: p.reserved,
  verification: p.reserved ? null : adminVerification,
  linkedTo: [],
  backupCodes: null,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt
})

/** @internal */
export const presentUser = (state: StateView, user: UserView, now: number): Models.User => {
  const locked = isLocked(user, state.features.lockoutSeconds, now)
  const imageUrl = user.imageUrl ?? `https://img.clerk.com/default/${user.id}`
  return {
    id: user.id,
    object: "user",
    externalId: user.externalId,
    primaryEmailAddressId: user.primaryEmailAddressId,
    primaryPhoneNumberId: user.primaryPhoneNumberId,
    primaryWeb3WalletId: user.primaryWeb3WalletId,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    locale: user.locale,
    profileImageUrl: imageUrl,
    imageUrl,
    hasImage: user.imageUrl !== null,
    publicMetadata: user.publicMetadata,
    privateMetadata: user.privateMetadata,
    unsafeMetadata: user.unsafeMetadata,
    emailAddresses: user.emails.map(email(user)),
    phoneNumbers: user.phones.map(phone),
    web3Wallets: user.web3Wallets.map((w) => ({
      id: w.id,
      object: "web3_wallet",
      web3Wallet: w.value,
      verification: {
        object: "verification_web3",
        status: "verified",
        strategy: "web3_metamask_signature",
        attempts: null,
        expireAt: null
      },
      createdAt: w.createdAt,
      updatedAt: w.updatedAt
    })),
    passkeys: user.passkeys.map((p) => ({
      id: p.id,
      object: "passkey",
      name: p.name,
      lastUsedAt: p.lastUsedAt,
      verification: {
        object: "verification_passkey",
        status: "verified",
        strategy: "passkey",
        attempts: null,
        expireAt: null
      }
    })),
    passwordEnabled: user.password !== null,
    twoFactorEnabled: user.totpSecret !== null || user.backupCodes.length > 0,
    totpEnabled: user.totpSecret !== null,
    backupCodeEnabled: user.backupCodes.length > 0,
    mfaEnabledAt: user.mfaEnabledAt,
    mfaDisabledAt: user.mfaDisabledAt,
    passwordLastUpdatedAt: user.passwordLastUpdatedAt,
    externalAccounts: user.externalAccounts.map((a) => ({
      object: "external_account",
      id: a.id,
      provider: a.provider,
      identificationId: a.identificationId,
      providerUserId: a.providerUserId,
      approvedScopes: a.approvedScopes,
      emailAddress: a.emailAddress,
      emailAddressVerified: true,
      firstName: a.firstName,
      lastName: a.lastName,
      imageUrl: null,
      username: a.username,
      phoneNumber: null,
      publicMetadata: {},
      label: null,
      createdAt: a.createdAt,
      updatedAt: a.createdAt,
      verification: {
        object: "verification_oauth",
        status: "verified",
        strategy: a.provider,
        expireAt: a.createdAt,
        attempts: null
      }
    })),
    samlAccounts: [],
    enterpriseAccounts: [],
    lastSignInAt: user.lastSignInAt,
    banned: user.banned,
    locked,
    deprovisioned: false,
    lockoutExpiresInSeconds: locked ? lockoutRemaining(user, state.features.lockoutSeconds, now) : null,
    verificationAttemptsRemaining: locked ? 0 : 100,
    updatedAt: user.updatedAt,
    createdAt: user.createdAt,
    deleteSelfEnabled: user.deleteSelfEnabled,
    createOrganizationEnabled: user.createOrganizationEnabled,
    createOrganizationsLimit: user.createOrganizationsLimit,
    lastActiveAt: user.lastActiveAt,
    legalAcceptedAt: user.legalAcceptedAt,
    bypassClientTrust: user.bypassClientTrust
  }
}

const organizationOf = (state: StateView, organizationId: string): Models.Organization => {
  const org = state.organizations.get(organizationId)
  const members = state.memberships.filter((m) => m.organizationId === organizationId).length
  const pending = state.invitations.filter((i) => i.organizationId === organizationId && i.status === "pending").length
  return {
    object: "organization",
    id: organizationId,
    name: org?.name ?? organizationId,
    slug: org?.slug ?? organizationId,
    imageUrl: `https://img.clerk.com/org/${organizationId}`,
    hasImage: false,
    membersCount: members,
    pendingInvitationsCount: pending,
    maxAllowedMemberships: org?.maxAllowedMemberships ?? 5,
    adminDeleteEnabled: true,
    publicMetadata: org?.publicMetadata ?? {},
    privateMetadata: org?.privateMetadata ?? {},
    createdAt: org?.createdAt ?? 0,
    updatedAt: org?.createdAt ?? 0
  }
}

/** @internal */
export const presentMembership = (state: StateView, m: StoredMembership): Models.OrganizationMembership => {
  const user = state.users.get(m.userId)
  const identifier = user?.emails[0]?.value ?? user?.username ?? m.userId
  return {
    id: m.id,
    object: "organization_membership",
    role: m.role,
    roleName: m.role.replace(/^org:/, ""),
    permissions: m.role === "org:admin" ? ["org:sys_memberships:manage", "org:sys_profile:manage"] : [],
    publicMetadata: {},
    privateMetadata: {},
    organization: organizationOf(state, m.organizationId),
    publicUserData: {
      userId: m.userId,
      firstName: user?.firstName ?? null,
      lastName: user?.lastName ?? null,
      profileImageUrl: null,
      imageUrl: `https://img.clerk.com/default/${m.userId}`,
      hasImage: user?.imageUrl !== null && user?.imageUrl !== undefined,
      identifier,
      username: user?.username ?? null,
      banned: user?.banned ?? false
    },
    createdAt: m.createdAt,
    updatedAt: m.updatedAt
  }
}

/** @internal */
export const presentInvitation = (
  state: StateView,
  i: StoredInvitation
): Models.OrganizationInvitationWithPublicOrganizationData => {
  const org = organizationOf(state, i.organizationId)
  const inviter = i.inviterUserId === null ? undefined : state.users.get(i.inviterUserId)
  return {
    object: "organization_invitation",
    id: i.id,
    emailAddress: i.emailAddress,
    role: i.role,
    roleName: i.role.replace(/^org:/, ""),
    organizationId: i.organizationId,
    inviterId: i.inviterUserId,
    publicInviterData: inviter === undefined ? null : {
      userId: inviter.id,
      firstName: inviter.firstName,
      lastName: inviter.lastName,
      imageUrl: `https://img.clerk.com/default/${inviter.id}`,
      hasImage: inviter.imageUrl !== null,
      identifier: inviter.emails[0]?.value ?? inviter.id
    },
    status: i.status,
    publicMetadata: {},
    privateMetadata: {},
    url: null,
    expiresAt: i.expiresAt,
    createdAt: i.createdAt,
    updatedAt: i.createdAt,
    publicOrganizationData: {
      id: org.id,
      name: org.name,
      slug: org.slug,
      imageUrl: org.imageUrl ?? "",
      hasImage: org.hasImage
    }
  }
}

/** @internal */
export const presentTrustedDevice = (d: DeepReadonly<StoredTrustedDevice>): Models.TrustedDevice => ({
  object: "trusted_device",
  id: d.id,
  platform: d.platform,
  appIdentifier: d.appIdentifier,
  name: d.name,
  algorithm: "ES256",
  status: d.status,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  lastUsedAt: d.lastUsedAt,
  revokedAt: d.revokedAt
})

/** @internal */
export const money = (amount: number, currency: string): Models.CommerceMoneyResponse => ({
  amount,
  amountFormatted: (amount / 100).toFixed(2),
  currency,
  currencySymbol: currency === "USD" ? "$" : currency === "EUR" ? "€" : currency
})
