/**
 * Generates the Users domain schemas (`packages/users/src/Models.ts`) and request schemas
 * (`packages/users/src/Params.ts`) from the vendored Clerk OpenAPI spec.
 *
 *   pnpm generate          writes both files
 *   pnpm generate --check  fails when the committed files differ from what the spec gives (run in CI)
 *
 * Rules: snake_case wire keys become camelCase with `Schema.fromKey`; `nullable` becomes `Schema.NullOr`; a property
 * outside `required` becomes `Schema.optional`; response enums are open (`openEnum`: unknown future values decode);
 * `oneOf` with a discriminator becomes a union of its members plus a fallback for unknown kinds; `allOf` merges;
 * `additionalProperties: true` objects are `Metadata` records. Extra fields in responses are ignored by decoding.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { parse } from "yaml"

type Json = { readonly [key: string]: unknown }

const root = path.resolve(import.meta.dirname, "..")
const specPath = path.join(root, "packages/testing/spec/clerk-bapi-2026-05-12.yml")
const spec = parse(fs.readFileSync(specPath, "utf8")) as Json

const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const get = (u: unknown, key: string): unknown => (isObject(u) ? u[key] : undefined)
const asArray = (u: unknown): ReadonlyArray<unknown> => (Array.isArray(u) ? u : [])
const asString = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

const components = get(get(spec, "components"), "schemas")

/** The 36 operations of the contract: spec operationId → SDK name. */
export const operations: ReadonlyArray<readonly [operationId: string, name: string]> = [
  ["GetUserList", "list"],
  ["CreateUser", "create"],
  ["GetUsersCount", "count"],
  ["GetUser", "get"],
  ["UpdateUser", "update"],
  ["DeleteUser", "delete"],
  ["BanUser", "ban"],
  ["UnbanUser", "unban"],
  ["UsersBan", "bulkBan"],
  ["UsersUnban", "bulkUnban"],
  ["LockUser", "lock"],
  ["UnlockUser", "unlock"],
  ["SetUserProfileImage", "setProfileImage"],
  ["DeleteUserProfileImage", "deleteProfileImage"],
  ["UpdateUserMetadata", "updateMetadata"],
  ["GetUserBillingSubscription", "getBillingSubscription"],
  ["GetUserBillingCreditBalance", "getBillingCreditBalance"],
  ["AdjustUserBillingCreditBalance", "adjustBillingCreditBalance"],
  ["GetOAuthAccessToken", "getOAuthAccessToken"],
  ["UsersGetOrganizationMemberships", "getOrganizationMemberships"],
  ["UsersGetOrganizationInvitations", "getOrganizationInvitations"],
  ["VerifyPassword", "verifyPassword"],
  ["VerifyTOTP", "verifyTotp"],
  ["DisableMFA", "disableMfa"],
  ["DeleteBackupCode", "deleteBackupCodes"],
  ["UserPasskeyDelete", "deletePasskey"],
  ["UserWeb3WalletDelete", "deleteWeb3Wallet"],
  ["DeleteTOTP", "deleteTOTP"],
  ["DeleteExternalAccount", "deleteExternalAccount"],
  ["SetUserPasswordCompromised", "setPasswordCompromised"],
  ["UnsetUserPasswordCompromised", "unsetPasswordCompromised"],
  ["InstanceGetOrganizationMemberships", "getInstanceOrganizationMemberships"],
  ["ReplaceUserMetadata", "replaceMetadata"],
  ["RemoveUserPassword", "removePassword"],
  ["ListUserTrustedDevices", "listTrustedDevices"],
  ["RevokeUserTrustedDevice", "revokeTrustedDevice"]
]

const resolveRef = (ref: string): unknown => {
  let node: unknown = spec
  for (const part of ref.replace(/^#\//, "").split("/")) node = get(node, part)
  if (node === undefined) throw new Error(`unresolved $ref ${ref}`)
  return node
}

const camel = (snake: string) => snake.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())
const pascal = (name: string) => {
  const c = camel(name.replace(/-/g, "_"))
  return c.charAt(0).toUpperCase() + c.slice(1)
}
const refName = (ref: string) => pascal(ref.split("/").at(-1) ?? "")
const docOf = (node: unknown, indent: string): string => {
  const description = asString(get(node, "description"))
  const deprecated = get(node, "deprecated") === true
  if (!description && !deprecated) return ""
  const text = (description ?? "").trim().split(/\n\s*\n/)[0]!.replace(/\*\//g, "* /").split("\n")
  const lines = [...text.map((l) => l.trimEnd())]
  if (deprecated) lines.push("@deprecated")
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`
}

// ---------------------------------------------------------------------------------------------------------------
// Response models

const emitted = new Map<string, string>()
const order: Array<string> = []
const visiting = new Set<string>()

type Mode = "response" | "body"

const literalList = (values: ReadonlyArray<unknown>) => values.map((v) => JSON.stringify(v)).join(", ")

let refPrefix = ""

const schemaExpr = (node: unknown, mode: Mode, indent: string): string => {
  const expr = baseExpr(node, mode, indent)
  return get(node, "nullable") === true ? `Schema.NullOr(${expr})` : expr
}

const baseExpr = (node: unknown, mode: Mode, indent: string): string => {
  const ref = asString(get(node, "$ref"))
  if (ref) {
    const target = resolveRef(ref)
    if (mode === "body" && ref.endsWith("/PasswordHasher")) return "PasswordHasher"
    ensureMember(ref.split("/").at(-1) ?? "", target)
    return `${refPrefix}${refName(ref)}`
  }
  const allOf = asArray(get(node, "allOf"))
  if (allOf.length === 1 && !isObject(get(node, "properties"))) return baseExpr(allOf[0], mode, indent)
  if (allOf.length > 0) return objectExpr(mergeAllOf(node), mode, indent)
  const oneOf = asArray(get(node, "oneOf"))
  if (oneOf.length === 1) return baseExpr(oneOf[0], mode, indent)
  if (oneOf.length > 1) {
    const disc = asString(get(get(node, "discriminator"), "propertyName"))
    const members = oneOf.map((m) => baseExpr(m, mode, indent))
    if (disc && mode === "response") {
      members.push(`Schema.Struct({ ${disc}: UnknownValue })`)
    }
    return `Schema.Union(${members.join(", ")})`
  }
  const type = asString(get(node, "type"))
  const enumValues = asArray(get(node, "enum"))
  switch (type) {
    case "string":
      if (enumValues.length > 0) {
        return mode === "response" && get(node, "x-discriminator") !== true
          ? `openEnum(${literalList(enumValues)})`
          : `Schema.Literal(${literalList(enumValues)})`
      }
      return "Schema.String"
    case "integer":
      return mode === "response" ? "Schema.Number" : "Schema.Int"
    case "number":
      return "Schema.Number"
    case "boolean":
      return "Schema.Boolean"
    case "array":
      return `Schema.Array(${schemaExpr(get(node, "items"), mode, indent)})`
    default:
      if (isObject(get(node, "properties"))) return objectExpr(node, mode, indent)
      return "Metadata"
  }
}

const mergeAllOf = (node: unknown): Json => {
  const properties: Record<string, unknown> = {}
  const required = new Set<string>(asArray(get(node, "required")).flatMap((r) => (typeof r === "string" ? [r] : [])))
  const collect = (n: unknown) => {
    const ref = asString(get(n, "$ref"))
    const target = ref ? resolveRef(ref) : n
    for (const part of asArray(get(target, "allOf"))) collect(part)
    const props = get(target, "properties")
    if (isObject(props)) Object.assign(properties, props)
    for (const r of asArray(get(target, "required"))) if (typeof r === "string") required.add(r)
  }
  collect(node)
  return { type: "object", properties, required: [...required] }
}

const timestampBodyFields = new Set(["created_at", "legal_accepted_at"])

/** `expireAt` → `expire_at`, as the `Snake` type and `wireStruct` of `internal/schema.ts` compute it. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

const objectExpr = (node: unknown, mode: Mode, indent: string): string => {
  const props = get(node, "properties")
  if (!isObject(props)) return "Metadata"
  const required = new Set(asArray(get(node, "required")))
  const inner = indent + "  "
  const entries = Object.entries(props).map(([key, value]) => {
    let expr = mode === "body" && timestampBodyFields.has(key) && get(value, "type") === "string"
      ? (get(value, "nullable") === true ? "Schema.NullOr(DateTimeInput)" : "DateTimeInput")
      : schemaExpr(value, mode, inner)
    if (mode === "body" && isMetadataKey(key)) expr = "Metadata"
    return { key, doc: docOf(value, inner), expr, isRequired: required.has(key) }
  })
  return structExpr(entries, indent)
}

interface FieldEntry {
  readonly key: string
  readonly doc: string
  readonly expr: string
  readonly isRequired: boolean
}

/**
 * A struct: `wireStruct({ expireAt: ... })` (each wire key the snake_case of its name, one call per schema) when
 * every wire key is, else `Schema.Struct` with explicit `Schema.fromKey` renames.
 */
const structExpr = (entries: ReadonlyArray<FieldEntry>, indent: string): string => {
  const inner = indent + "  "
  if (entries.every(({ key }) => snake(camel(key)) === key)) {
    const fields = entries.map(({ doc, expr, isRequired, key }) =>
      `${doc}${inner}${camel(key)}: ${isRequired ? expr : `Schema.optional(${expr})`}`
    )
    return `wireStruct({\n${fields.join(",\n")}\n${indent}})`
  }
  const fields = entries.map(({ doc, expr, isRequired, key }) => {
    const name = camel(key)
    let field: string
    if (isRequired) {
      field = name === key ? expr : `Schema.propertySignature(${expr}).pipe(Schema.fromKey(${JSON.stringify(key)}))`
    } else {
      field = name === key
        ? `Schema.optional(${expr})`
        : `Schema.optional(${expr}).pipe(Schema.fromKey(${JSON.stringify(key)}))`
    }
    return `${doc}${inner}${name}: ${field}`
  })
  return `Schema.Struct({\n${fields.join(",\n")}\n${indent}})`
}

/** Names a schema: `wireStruct`'s second argument, or `.annotations({ identifier })`. */
const withIdentifier = (expr: string, identifier: string) =>
  expr.startsWith("wireStruct(") && expr.endsWith("})")
    ? `${expr.slice(0, -1)}, ${JSON.stringify(identifier)})`
    : `${expr}.annotations({ identifier: ${JSON.stringify(identifier)} })`

const isMetadataKey = (key: string) => /^(public|private|unsafe)_metadata$/.test(key)

const ensureModel = (name: string, node: unknown) => {
  if (emitted.has(name) || visiting.has(name)) return
  visiting.add(name)
  const expr = withIdentifier(schemaExpr(node, "response", ""), pascal(name))
  visiting.delete(name)
  emitted.set(name, expr)
  order.push(name)
}

// discriminator members: their tag field is a closed literal so the union can tell them apart
const discriminatorMembers = new Map<string, string>()
for (const node of Object.values(isObject(components) ? components : {})) {
  const visit = (n: unknown) => {
    if (!isObject(n)) return
    const disc = asString(get(get(n, "discriminator"), "propertyName"))
    if (disc) {
      for (const m of asArray(get(n, "oneOf"))) {
        const ref = asString(get(m, "$ref"))
        if (ref) discriminatorMembers.set(ref.split("/").at(-1) ?? "", disc)
      }
    }
    for (const v of Object.values(n)) if (typeof v === "object") visit(v)
  }
  visit(node)
}

const ensureMember = (name: string, node: unknown) => {
  const disc = discriminatorMembers.get(name)
  if (!disc) return ensureModel(name, node)
  if (emitted.has(name)) return
  const props = get(node, "properties")
  if (!isObject(node) || !isObject(props)) return ensureModel(name, node)
  // closed literal for the discriminator property
  const patched: Json = {
    ...node,
    properties: Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, k === disc && isObject(v) ? { ...v, "x-discriminator": true } : v])
    )
  }
  ensureModel(name, patched)
}

// ---------------------------------------------------------------------------------------------------------------
// Walk the operations

interface OperationInfo {
  readonly operationId: string
  readonly name: string
  readonly method: string
  readonly path: string
  readonly node: Json
  readonly pathItem: Json
}

const found: Array<OperationInfo> = []
for (const [p, item] of Object.entries(get(spec, "paths") as Json)) {
  if (!isObject(item)) continue
  for (const [method, op] of Object.entries(item)) {
    const id = asString(get(op, "operationId"))
    const entry = operations.find(([opId]) => opId === id)
    if (entry && isObject(op)) {
      found.push({ operationId: entry[0], name: entry[1], method, path: p, node: op, pathItem: item })
    }
  }
}
if (found.length !== operations.length) throw new Error(`found ${found.length} of ${operations.length} operations`)

const successNodes: Array<readonly [string, unknown]> = []
for (const op of found) {
  const responsesNode = get(op.node, "responses")
  const ok = get(responsesNode, "200") ?? get(responsesNode, "201")
  const okRef = asString(get(ok, "$ref"))
  const response = okRef ? resolveRef(okRef) : ok
  const schema = get(get(get(response, "content"), "application/json"), "schema")
  if (get(schema, "$ref") === undefined && get(schema, "type") === "object") {
    // an inline response object gets a name of its own, so users can refer to its type
    const name = `${pascal(op.name)}Response`
    ensureModel(name, schema)
    successNodes.push([op.name, name])
  } else {
    schemaExpr(schema, "response", "")
    successNodes.push([op.name, schema])
  }
}
refPrefix = "Models."
const successSchemas = successNodes.map(([name, schema]) =>
  [name, typeof schema === "string" ? `Models.${schema}` : schemaExpr(schema, "response", "")] as const
)
refPrefix = ""

// ---------------------------------------------------------------------------------------------------------------
// Output: Models.ts

const header = (what: string) =>
  `/**
 * ${what}
 *
 * GENERATED by \`scripts/generate-models.ts\` from Clerk's OpenAPI spec (\`packages/testing/spec/clerk-bapi-2026-05-12.yml\`, MIT,
 * see \`packages/testing/spec/clerk-openapi-LICENSE\`). Do not edit by hand: run \`pnpm generate\`.
 *
 * @since 0.1.0
 */
/* eslint-disable */
`

const syntheticDocs = new Map(
  successNodes.flatMap(([op, schema]) =>
    typeof schema === "string" ? [[schema, { description: `The response of \`Users.${op}\`.` }] as const] : []
  )
)

const modelBlocks = order.map((name) => {
  const id = pascal(name)
  const node = isObject(components) ? components[name] : undefined
  const isStruct = /^(Schema\.Struct|wireStruct)\(/.test(emitted.get(name)!)
  const doc = asString(get(node ?? syntheticDocs.get(name), "description"))?.trim().split(/\n\s*\n/)[0]?.replace(
    /\*\//g,
    "* /"
  ) ?? `Clerk's \`${name}\` object.`
  const typeDecl = isStruct
    ? `export interface ${id} extends Schema.Schema.Type<typeof ${id}> {}`
    : `export type ${id} = Schema.Schema.Type<typeof ${id}>`
  const encodedDecl = isStruct
    ? `export interface ${id}Encoded extends Schema.Schema.Encoded<typeof ${id}> {}`
    : `export type ${id}Encoded = Schema.Schema.Encoded<typeof ${id}>`
  const example = (what: string) =>
    ` * @example\n * \`\`\`ts\n * import { Models } from "@effect-clerk/users"\n * import { Schema } from "effect"\n * ${what}\n * \`\`\``
  return `/**
 * ${doc.split("\n").join("\n * ")}
 *
${example(`const decode = Schema.decodeUnknown(Models.${id})`)}
 * @since 0.1.0
 * @category schemas
 */
export const ${id} = ${emitted.get(name)}

/**
 * The decoded (camelCase) \`${name}\`.
 *
${example(`const read = (value: Models.${id}) => Schema.encodeSync(Models.${id})(value)`)}
 * @since 0.1.0
 * @category models
 */
${typeDecl}

/**
 * The wire (snake_case) \`${name}\`.
 *
${example(`const write = (value: Models.${id}Encoded) => Schema.decodeUnknownSync(Models.${id})(value)`)}
 * @since 0.1.0
 * @category models
 */
${encodedDecl}
`
})

const modelsSource = `${
  header("Clerk's Users domain objects as Effect schemas: every field of the spec, camelCase, open enums.")
}
import * as Schema from "effect/Schema"
import { Metadata, openEnum, UnknownValue, wireStruct } from "./internal/schema.js"

${modelBlocks.join("\n")}`

// ---------------------------------------------------------------------------------------------------------------
// Output: Params.ts (query parameters and JSON bodies of each operation)

const queryExpr = (name: string, schema: unknown): string => {
  const type = asString(get(schema, "type"))
  const enumValues = asArray(get(schema, "enum"))
  if (type === "array") {
    const items = get(schema, "items")
    const itemEnum = asArray(get(items, "enum"))
    return itemEnum.length > 0 ? `QueryArray(Schema.Literal(${literalList(itemEnum)}))` : "QueryArray(Schema.String)"
  }
  if (type === "integer" || type === "number") {
    return /(_at_|_at$|_before$|_after$|_since$)/.test(name) ? "TimestampParam" : "IntegerParam"
  }
  if (type === "boolean") return "Schema.BooleanFromString"
  if (enumValues.length > 0) return `Schema.Literal(${literalList(enumValues)})`
  return "Schema.String"
}

const paramsBlocks: Array<string> = []
const paramsIndex: Array<string> = []
const exampleFor = (id: string) =>
  ` * @example\n * \`\`\`ts\n * import type { Params } from "@effect-clerk/users"\n * const params: Partial<Params.${id}> = {}\n * \`\`\``

for (const op of found) {
  const opName = pascal(op.name)
  const allParams = [...asArray(get(op.pathItem, "parameters")), ...asArray(get(op.node, "parameters"))].map((p) => {
    const ref = asString(get(p, "$ref"))
    return ref ? resolveRef(ref) : p
  })
  const query = allParams.filter((p) => get(p, "in") === "query")
  if (query.length > 0) {
    const entries = query.map((p) => {
      const wire = asString(get(p, "name")) ?? ""
      const expr = queryExpr(wire, get(p, "schema"))
      const isRequired = get(p, "required") === true
      return { key: wire, doc: docOf(p, "  "), expr: isRequired ? expr : `Schema.NullOr(${expr})`, isRequired }
    })
    const id = `${opName}Query`
    paramsIndex.push(id)
    paramsBlocks.push(`/**
 * Query parameters of \`Users.${op.name}\` (\`${op.method.toUpperCase()} ${op.path}\`).
 *
${exampleFor(id)}
 * @since 0.1.0
 * @category schemas
 */
export const ${id} = ${withIdentifier(structExpr(entries, ""), id)}

/**
 * The decoded (camelCase) form of \`${id}\`.
 *
${exampleFor(id)}
 * @since 0.1.0
 * @category models
 */
export interface ${id} extends Schema.Schema.Type<typeof ${id}> {}
`)
  }
  const body = get(get(get(get(op.node, "requestBody"), "content"), "application/json"), "schema")
  if (body !== undefined) {
    const bodyRef = asString(get(body, "$ref"))
    const target = bodyRef ? resolveRef(bodyRef) : body
    const id = `${opName}Body`
    paramsIndex.push(id)
    paramsBlocks.push(`/**
 * JSON body of \`Users.${op.name}\` (\`${op.method.toUpperCase()} ${op.path}\`).
 *
${exampleFor(id)}
 * @since 0.1.0
 * @category schemas
 */
export const ${id} = ${withIdentifier(objectExpr(target, "body", ""), id)}

/**
 * The decoded (camelCase) form of \`${id}\`.
 *
${exampleFor(id)}
 * @since 0.1.0
 * @category models
 */
export interface ${id} extends Schema.Schema.Type<typeof ${id}> {}
`)
  }
}

const hasherValues = asArray(get(resolveRef("#/components/schemas/PasswordHasher"), "enum"))
const paramsSource = `${
  header(
    "Request schemas of the Users operations: query parameters and JSON bodies, camelCase outside, snake_case on the wire."
  )
}
import * as Schema from "effect/Schema"
import { DateTimeInput, IntegerParam, Metadata, QueryArray, TimestampParam, wireStruct } from "./internal/schema.js"

/**
 * The hashing algorithm of a password digest.
 *
 * @example
 * \`\`\`ts
 * import type { Params } from "@effect-clerk/users"
 * const hasher: Params.PasswordHasher = "bcrypt"
 * \`\`\`
 * @since 0.1.0
 * @category schemas
 */
export const PasswordHasher = ${
  hasherValues.length > 0 ? `Schema.Literal(${literalList(hasherValues)})` : "Schema.String"
}

/**
 * @example
 * \`\`\`ts
 * import type { Params } from "@effect-clerk/users"
 * const hasher: Params.PasswordHasher = "sha256"
 * \`\`\`
 * @since 0.1.0
 * @category models
 */
export type PasswordHasher = Schema.Schema.Type<typeof PasswordHasher>

${paramsBlocks.join("\n")}`

const successSource = `${header("The success schema of each Users operation, as the spec's 200 response gives it.")}
import * as Schema from "effect/Schema"
import * as Models from "../Models.js"


${
  successSchemas.map(([name, expr]) => {
    const exported = name === "delete" ? "delete_" : name
    // a model as is: re-exported, so a bundler refers to the model itself instead of keeping an alias per operation
    return /^Models\.\w+$/.test(expr)
      ? `/** @internal */\nexport { ${expr.slice("Models.".length)} as ${exported} } from "../Models.js"`
      : `/** @internal */\nexport const ${exported} = ${expr}`
  }).join("\n\n")
}
`

/**
 * Marks every schema-building call of the code (not the comments) `/*#__PURE__*\/`: a bundler may then drop the
 * schemas an app never reaches (an app calling only `Users.get` keeps `User` and what it holds).
 */
const annotatePure = (source: string) =>
  source.split("\n").map((line) =>
    /^\s*(\*|\/\*\*|\/\/|import )/.test(line)
      ? line
      : line.replace(/(?<![\w.])(Schema\.[A-Za-z]+|openEnum|wireStruct|QueryArray)\(/g, "/*#__PURE__*/ $1(")
  ).join("\n")

const outputs: ReadonlyArray<readonly [string, string]> = [
  [path.join(root, "packages/users/src/Models.ts"), annotatePure(modelsSource)],
  [path.join(root, "packages/users/src/Params.ts"), annotatePure(paramsSource)],
  [path.join(root, "packages/users/src/internal/success.ts"), annotatePure(successSource)]
]

if (process.argv.includes("--check")) {
  const stale = outputs.filter(([file, source]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== source)
  if (stale.length > 0) {
    console.error(
      `generated files are stale, run pnpm generate: ${stale.map(([f]) => path.relative(root, f)).join(", ")}`
    )
    process.exit(1)
  }
  console.log("generated files are up to date")
} else {
  for (const [file, source] of outputs) fs.writeFileSync(file, source)
  console.log(`wrote ${order.length} models, ${paramsIndex.length} request schemas`)
}
