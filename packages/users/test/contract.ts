/**
 * The contract table (users-operations.md, as the project started from it): operation, HTTP method and path, spec
 * operationId, documented statuses (the seed's ∪ the spec's). Kept here so the tests run without ../shared.
 */
export const contract: ReadonlyArray<
  readonly [name: string, method: string, path: string, operationId: string, statuses: ReadonlyArray<number>]
> = [
  ["list", "GET", "/users", "GetUserList", [400, 401, 422]],
  ["create", "POST", "/users", "CreateUser", [400, 401, 402, 403, 422]],
  ["count", "GET", "/users/count", "GetUsersCount", [422]],
  ["get", "GET", "/users/{user_id}", "GetUser", [400, 401, 404]],
  ["update", "PATCH", "/users/{user_id}", "UpdateUser", [400, 401, 404, 409, 422]],
  ["delete", "DELETE", "/users/{user_id}", "DeleteUser", [400, 401, 404]],
  ["ban", "POST", "/users/{user_id}/ban", "BanUser", [402]],
  ["unban", "POST", "/users/{user_id}/unban", "UnbanUser", [402]],
  ["bulkBan", "POST", "/users/ban", "UsersBan", [400, 402]],
  ["bulkUnban", "POST", "/users/unban", "UsersUnban", [400, 402]],
  ["lock", "POST", "/users/{user_id}/lock", "LockUser", [403]],
  ["unlock", "POST", "/users/{user_id}/unlock", "UnlockUser", [403]],
  ["setProfileImage", "POST", "/users/{user_id}/profile_image", "SetUserProfileImage", [400, 401, 404]],
  ["deleteProfileImage", "DELETE", "/users/{user_id}/profile_image", "DeleteUserProfileImage", [404]],
  ["updateMetadata", "PATCH", "/users/{user_id}/metadata", "UpdateUserMetadata", [400, 401, 404, 422]],
  ["getBillingSubscription", "GET", "/users/{user_id}/billing/subscription", "GetUserBillingSubscription", [
    400,
    401,
    403,
    404,
    422,
    500
  ]],
  ["getBillingCreditBalance", "GET", "/users/{user_id}/billing/credits", "GetUserBillingCreditBalance", [
    400,
    401,
    403,
    404,
    422,
    500
  ]],
  ["adjustBillingCreditBalance", "POST", "/users/{user_id}/billing/credits", "AdjustUserBillingCreditBalance", [
    400,
    401,
    403,
    404,
    409,
    422,
    500
  ]],
  ["getOAuthAccessToken", "GET", "/users/{user_id}/oauth_access_tokens/{provider}", "GetOAuthAccessToken", [
    400,
    404,
    422
  ]],
  [
    "getOrganizationMemberships",
    "GET",
    "/users/{user_id}/organization_memberships",
    "UsersGetOrganizationMemberships",
    [403]
  ],
  [
    "getOrganizationInvitations",
    "GET",
    "/users/{user_id}/organization_invitations",
    "UsersGetOrganizationInvitations",
    [400, 403, 404]
  ],
  ["verifyPassword", "POST", "/users/{user_id}/verify_password", "VerifyPassword", [400, 404, 422, 500]],
  ["verifyTotp", "POST", "/users/{user_id}/verify_totp", "VerifyTOTP", [400, 404, 422, 500]],
  ["disableMfa", "DELETE", "/users/{user_id}/mfa", "DisableMFA", [404, 500]],
  ["deleteBackupCodes", "DELETE", "/users/{user_id}/backup_code", "DeleteBackupCode", [404, 500]],
  ["deletePasskey", "DELETE", "/users/{user_id}/passkeys/{passkey_identification_id}", "UserPasskeyDelete", [
    403,
    404,
    500
  ]],
  [
    "deleteWeb3Wallet",
    "DELETE",
    "/users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
    "UserWeb3WalletDelete",
    [400, 403, 404, 500]
  ],
  ["deleteTOTP", "DELETE", "/users/{user_id}/totp", "DeleteTOTP", [404, 500]],
  [
    "deleteExternalAccount",
    "DELETE",
    "/users/{user_id}/external_accounts/{external_account_id}",
    "DeleteExternalAccount",
    [400, 403, 404, 500]
  ],
  ["setPasswordCompromised", "POST", "/users/{user_id}/password/set_compromised", "SetUserPasswordCompromised", [
    400,
    401,
    403,
    404,
    422
  ]],
  ["unsetPasswordCompromised", "POST", "/users/{user_id}/password/unset_compromised", "UnsetUserPasswordCompromised", [
    400,
    401,
    403,
    404,
    422
  ]],
  ["getInstanceOrganizationMemberships", "GET", "/organization_memberships", "InstanceGetOrganizationMemberships", [
    400,
    401,
    422,
    500
  ]],
  ["replaceMetadata", "PUT", "/users/{user_id}/metadata", "ReplaceUserMetadata", [400, 401, 404, 422]],
  ["removePassword", "POST", "/users/{user_id}/remove_password", "RemoveUserPassword", [400, 401, 403, 404, 500]],
  ["listTrustedDevices", "GET", "/users/{user_id}/trusted_devices", "ListUserTrustedDevices", [403, 404, 500]],
  ["revokeTrustedDevice", "DELETE", "/users/{user_id}/trusted_devices/{trusted_device_id}", "RevokeUserTrustedDevice", [
    403,
    404,
    500
  ]]
]
