import ajvFormats from "ajv-formats"
import { load } from "js-yaml"
import * as fs from "node:fs"
import { OpenAPIBackend, ValidationContext } from "openapi-backend"
import type { Document } from "openapi-backend"
import { specUrl } from "./packageFiles.js"

/**
 * Request and response validation against Clerk's published OpenAPI spec (vendored in `spec/`), with
 * `openapi-backend` (Ajv underneath). The spec is pruned to the operations the emulator serves, and OpenAPI 3.0's
 * `nullable` on a schema without `type` (e.g. `nullable` next to `allOf`) is rewritten to the equivalent
 * `anyOf: [{ type: "null" }, schema]`, which Ajv requires; nothing else is changed.
 *
 * @internal
 */
export interface SpecValidator {
  readonly validateRequest: (request: {
    /** The operation the emulator's router matched (the spec's own path matching is not redone). */
    readonly operationId: string
    readonly method: string
    readonly path: string
    /** The path's parameters, percent-decoded, in the template's order. */
    readonly pathParams: ReadonlyArray<string>
    /** The normalized query string, and the same as a record (`readQuery`'s two results). */
    readonly query: string
    readonly queryRecord: Readonly<Record<string, string | ReadonlyArray<string>>>
    readonly headers: Record<string, string>
    readonly body: unknown
  }) => ReadonlyArray<ValidationIssue>
  readonly validateResponse: (operationId: string, status: number, body: unknown) => ReadonlyArray<ValidationIssue>
  readonly operationIds: ReadonlySet<string>
  /** openapi-backend's own request validation (it parses the path, query and headers), the reference for tests. */
  readonly libraryValidateRequest: SpecValidator["validateRequest"]
  /** openapi-backend's own response validation (every status compiled at once), the reference for the tests. */
  readonly libraryValidateResponse: (
    operationId: string,
    status: number,
    body: unknown
  ) => ReadonlyArray<ValidationIssue>
}

/** @internal */
export interface ValidationIssue {
  readonly path: string
  readonly message: string
  readonly keyword: string
  readonly params: Readonly<Record<string, unknown>>
}

/** @internal */
export { specUrl }

type Node = { [key: string]: unknown }
const isNode = (u: unknown): u is Node => typeof u === "object" && u !== null && !Array.isArray(u)

const normalizeNullable = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(normalizeNullable)
  if (!isNode(node)) return node
  const out: Node = {}
  for (const [key, value] of Object.entries(node)) out[key] = normalizeNullable(value)
  if (out["nullable"] === true && out["type"] === undefined) {
    const { nullable: _nullable, description, ...rest } = out
    return description === undefined
      ? { anyOf: [{ type: "null" }, rest] }
      : { description, anyOf: [{ type: "null" }, rest] }
  }
  return out
}

let parsedSpec: Node | undefined

/**
 * The vendored spec, parsed once per process (callers only read it): with js-yaml, ~8× faster than the `yaml`
 * package on this 740 KB document, and the same value (validation.test.ts checks it).
 *
 * @internal
 */
export const loadSpec = (): Node => {
  if (parsedSpec === undefined) {
    const parsed: unknown = load(fs.readFileSync(specUrl, "utf8"))
    if (!isNode(parsed)) throw new Error("the vendored spec is not an object")
    parsedSpec = parsed
  }
  return parsedSpec
}

const issuesOf = (
  errors:
    | ReadonlyArray<{
      readonly instancePath: string
      readonly message?: string | undefined
      readonly keyword: string
      readonly params: Record<string, unknown>
    }>
    | null
    | undefined
): ReadonlyArray<ValidationIssue> =>
  (errors ?? []).map((e) => ({
    path: e.instancePath,
    message: e.message ?? e.keyword,
    keyword: e.keyword,
    params: e.params
  }))

/** @internal */
export const makeValidator = async (operationIds: ReadonlyArray<string>): Promise<SpecValidator> => {
  const spec = loadSpec()
  const keep = new Set(operationIds)
  const paths = isNode(spec["paths"]) ? spec["paths"] : {}
  const pruned: Node = {}
  for (const [path, item] of Object.entries(paths)) {
    if (!isNode(item)) continue
    const ops: Node = {}
    for (const [method, op] of Object.entries(item)) {
      if (
        method === "parameters" || (isNode(op) && typeof op["operationId"] === "string" && keep.has(op["operationId"]))
      ) {
        ops[method] = op
      }
    }
    if (Object.keys(ops).some((m) => m !== "parameters")) pruned[path] = ops
  }
  // openapi-backend's own typing of a document; the parsed YAML is one (its validity is Clerk's to keep)
  const definition = normalizeNullable({ ...spec, paths: pruned }) as Document
  const api = new OpenAPIBackend({
    definition,
    apiRoot: "/v1",
    quick: true,
    validate: true,
    ajvOpts: { strict: false, allErrors: true },
    // formats (date-time, email, uri...) are checked too, with Ajv's own format plugin
    customizeAjv: (ajv) => {
      // CommonJS module seen from ESM: the plugin is its `default` (which the function also carries)
      ajvFormats.default(ajv)
      return ajv
    }
  })
  await api.init()
  // openapi-backend flattens the whole document (with lodash) on every operation lookup, and matches a request by
  // compiling every path template to a RegExp: ~600 µs a request. The definition never changes, so it is flattened
  // once here, and the operation is looked up by the id the emulator's router already matched.
  const operations = api.router.getOperations()
  api.router.getOperations = () => operations
  const byId = new Map(operations.map((operation) => [operation.operationId, operation]))
  const libraryValidateRequest: SpecValidator["validateRequest"] = (request) => {
    const operation = byId.get(request.operationId)
    if (operation === undefined) {
      return [{ path: request.path, message: "no such operation in the spec", keyword: "path", params: {} }]
    }
    const result = api.validateRequest({
      method: request.method,
      path: request.path,
      query: request.query,
      headers: request.headers,
      body: request.body
    }, operation)
    return result.valid ? [] : issuesOf(result.errors)
  }
  return {
    operationIds: keep,
    validateRequest: requestValidator(api, byId, libraryValidateRequest),
    libraryValidateRequest,
    validateResponse: responseValidator(api, byId),
    libraryValidateResponse: (operationId, status, body) => {
      const result = api.validateResponse(body, operationId, status)
      return result.valid ? [] : issuesOf(result.errors)
    }
  }
}

/**
 * How the request check reads an operation: its path parameters' names in order and its array query parameters; or
 * `undefined` when openapi-backend's own parsing is needed (cookie parameters, JSON-encoded or non-exploded query
 * parameters: none among the operations served today).
 */
const requestShape = (operation: unknown) => {
  if (!isNode(operation) || typeof operation["path"] !== "string") return undefined
  const arrays = new Set<string>()
  for (const parameter of Array.isArray(operation["parameters"]) ? operation["parameters"] : []) {
    if (!isNode(parameter) || parameter["in"] === "cookie") return undefined
    if (parameter["in"] !== "query") continue
    if (parameter["content"] !== undefined || parameter["explode"] === false) return undefined
    const schema = parameter["schema"]
    if (isNode(schema) && schema["type"] === "array" && typeof parameter["name"] === "string") {
      arrays.add(parameter["name"])
    }
  }
  const names = Array.from(operation["path"].matchAll(/\{([^}]+)\}/g), (match) => match[1] ?? "")
  return { arrays, names }
}

/**
 * Request validation with openapi-backend's compiled validators for the operation, fed the object its
 * `validateRequest` builds (path, query, header, cookie, requestBody), but from what the router has already read:
 * the path's parameters, the query as a record (a single value of an array parameter as a one-element array), the
 * headers. openapi-backend re-parses all of it per request (~80 µs); the result is the same (a property test
 * compares the two). Copies are given, since Ajv coerces query and path values in place.
 */
const requestValidator = (
  api: OpenAPIBackend,
  byId: ReadonlyMap<string | undefined, unknown>,
  library: SpecValidator["validateRequest"]
): SpecValidator["validateRequest"] => {
  const shapes = new Map<string, ReturnType<typeof requestShape>>()
  return (request) => {
    if (!shapes.has(request.operationId)) shapes.set(request.operationId, requestShape(byId.get(request.operationId)))
    const shape = shapes.get(request.operationId)
    if (shape === undefined) return library(request)
    const path: Record<string, string> = {}
    shape.names.forEach((name, i) => (path[name] = request.pathParams[i] ?? ""))
    const query: Record<string, string | Array<string>> = {}
    for (const [name, value] of Object.entries(request.queryRecord)) {
      query[name] = typeof value !== "string" ? [...value] : shape.arrays.has(name) ? [value] : value
    }
    const header = { ...request.headers }
    const parameters: Record<string, unknown> = { path, query, header, cookie: {} }
    const contentType = (header["content-type"] ?? "").split(";")[0]?.trim().toLowerCase()
    if (typeof request.body === "object" || contentType === "application/json") parameters["requestBody"] = request.body
    const issues: Array<ValidationIssue> = []
    for (const validate of api.validator.getRequestValidatorsForOperation(request.operationId) ?? []) {
      if (!validate(parameters)) issues.push(...issuesOf(validate.errors))
    }
    return issues
  }
}

/** A `{ status: schema }` map as openapi-backend builds it: JSON bodies, and a 204 without content as `null`. */
const responseSchemas = (operation: unknown): Readonly<Record<string, Node>> => {
  const out: Record<string, Node> = {}
  const responses = isNode(operation) && isNode(operation["responses"]) ? operation["responses"] : {}
  for (const [status, response] of Object.entries(responses)) {
    if (!isNode(response)) continue
    const content = response["content"]
    const json = isNode(content) ? content["application/json"] : undefined
    if (isNode(json) && isNode(json["schema"])) out[status] = json["schema"]
    if (content === undefined && status === "204") out[status] = nullBody
  }
  return out
}
const nullBody: Node = { type: "null" }

/** The exact status, else its class (`4XX`), else `default` (openapi-backend's `findStatusCodeMatch`). */
const schemaForStatus = (schemas: Readonly<Record<string, Node>>, status: number): Node | undefined =>
  schemas[status] ?? schemas[`${Math.floor(status / 100)}XX`] ?? schemas["default"]

/** Whether a dereferenced schema refers back to itself (each shared part walked once). */
const hasCycle = (node: unknown, path = new Set<object>(), done = new Set<object>()): boolean => {
  if (typeof node !== "object" || node === null || done.has(node)) return false
  if (path.has(node)) return true
  path.add(node)
  const cyclic = Object.values(node).some((child) => hasCycle(child, path, done))
  path.delete(node)
  done.add(node)
  return cyclic
}

/**
 * Response validation with the same schemas, Ajv options and formats as openapi-backend's, but compiled lazily per
 * status that is answered (not every status of an operation at its first response), in one Ajv instance, once per
 * schema object: the dereferenced spec shares one object per component, so Clerk's error envelope compiles once for
 * every operation and status, and the user once for every operation answering one. A schema with a cycle (none
 * today) is left to openapi-backend, which breaks cycles before compiling.
 */
const responseValidator = (api: OpenAPIBackend, byId: ReadonlyMap<string | undefined, unknown>) => {
  const ajv = api.validator.getAjv(ValidationContext.Response)
  // the same Ajv (options, formats) stopping at the first error: whether a value is valid does not depend on
  // `allErrors` (no option here changes the data), and a valid answer, the usual one, is found ~3× faster; only an
  // invalid one is checked again to list its issues
  const quick = api.validator.getAjv(ValidationContext.Response, { allErrors: false })
  const schemasByOperation = new Map<string, Readonly<Record<string, Node>>>()
  type Validate = ReturnType<typeof ajv.compile>
  const compiled = new Map<Node, { readonly quick: Validate; full: Validate | undefined } | "cyclic">()
  return (operationId: string, status: number, body: unknown): ReadonlyArray<ValidationIssue> => {
    let schemas = schemasByOperation.get(operationId)
    if (schemas === undefined) {
      schemas = responseSchemas(byId.get(operationId))
      schemasByOperation.set(operationId, schemas)
    }
    const schema = schemaForStatus(schemas, status)
    if (schema === undefined) return []
    let validate = compiled.get(schema)
    if (validate === undefined) {
      validate = hasCycle(schema) ? "cyclic" : { quick: quick.compile(schema), full: undefined }
      compiled.set(schema, validate)
    }
    if (validate === "cyclic") {
      const result = api.validateResponse(body, operationId, status)
      return result.valid ? [] : issuesOf(result.errors)
    }
    if (validate.quick(body)) return []
    validate.full ??= ajv.compile(schema)
    return validate.full(body) ? [] : issuesOf(validate.full.errors)
  }
}

let shared: Promise<SpecValidator> | undefined

/**
 * One validator per process: the spec is immutable, and compiling it is the slow part.
 *
 * @internal
 */
export const sharedValidator = (operationIds: ReadonlyArray<string>): Promise<SpecValidator> => {
  shared ??= makeValidator(operationIds)
  return shared
}

/**
 * The operations whose request body the spec marks `required: true` (`$ref`s resolved): sent without one, Clerk
 * refuses them as a malformed body.
 *
 * @internal
 */
export const requiredBodyOperations = (spec: Node): ReadonlySet<string> => {
  const out = new Set<string>()
  const paths = isNode(spec["paths"]) ? spec["paths"] : {}
  const components = isNode(spec["components"]) ? spec["components"] : {}
  const bodies = isNode(components["requestBodies"]) ? components["requestBodies"] : {}
  for (const item of Object.values(paths)) {
    if (!isNode(item)) continue
    for (const op of Object.values(item)) {
      if (!isNode(op) || typeof op["operationId"] !== "string") continue
      const raw = op["requestBody"]
      const ref = isNode(raw) && typeof raw["$ref"] === "string" ? raw["$ref"].split("/").at(-1) : undefined
      const body = ref !== undefined ? bodies[ref] : raw
      if (isNode(body) && body["required"] === true) out.add(op["operationId"])
    }
  }
  return out
}

/** How a query parameter is read. @internal */
export type QueryKind = "integer" | "boolean" | "string" | "array"

/**
 * Each operation's query parameters and how each is read, from the spec (`$ref`s resolved).
 *
 * @internal
 */
export const queryParameterKinds = (spec: Node): ReadonlyMap<string, ReadonlyMap<string, QueryKind>> => {
  const out = new Map<string, Map<string, QueryKind>>()
  const paths = isNode(spec["paths"]) ? spec["paths"] : {}
  const components = isNode(spec["components"]) ? spec["components"] : {}
  const parameters = isNode(components["parameters"]) ? components["parameters"] : {}
  for (const item of Object.values(paths)) {
    if (!isNode(item)) continue
    for (const op of Object.values(item)) {
      if (!isNode(op) || typeof op["operationId"] !== "string") continue
      const kinds = new Map<string, QueryKind>()
      for (const raw of Array.isArray(op["parameters"]) ? op["parameters"] : []) {
        const ref = isNode(raw) && typeof raw["$ref"] === "string" ? raw["$ref"].split("/").at(-1) : undefined
        const param = ref !== undefined ? parameters[ref] : raw
        if (!isNode(param) || param["in"] !== "query" || typeof param["name"] !== "string") continue
        const type = isNode(param["schema"]) ? param["schema"]["type"] : undefined
        kinds.set(
          param["name"],
          type === "array" ? "array" : type === "integer" ? "integer" : type === "boolean" ? "boolean" : "string"
        )
      }
      out.set(op["operationId"], kinds)
    }
  }
  return out
}

// Go's strconv.ParseBool, which Clerk's API reads booleans with
const booleans: Readonly<Record<string, "true" | "false">> = {
  "1": "true",
  t: "true",
  T: "true",
  TRUE: "true",
  true: "true",
  True: "true",
  "0": "false",
  f: "false",
  F: "false",
  FALSE: "false",
  false: "false",
  False: "false"
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/**
 * An integer query parameter as Go's `strconv.ParseInt(value, 10, 64)` reads it (an optional sign, decimal digits,
 * leading zeros allowed; within int64), or why not. A value past the safe integers (2^53 − 1) is clamped to them:
 * every number it is compared with (a timestamp a `Date` holds, at most 8.64e15 ms from 1970; a count or an offset)
 * lies inside them, so the answer is the same as with the exact value, and the endpoint's `Int` schemas decode it.
 */
const readInteger = (value: string): number | string => {
  const quoted = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (!/^[+-]?\d+$/.test(value)) return `must be an integer, written in digits (got ${quoted})`
  const digits = value.replace(/^[+-]?0*/, "")
  const exact = digits.length > 19 ? undefined : BigInt(value)
  if (exact === undefined || exact < INT64_MIN || exact > INT64_MAX) {
    return `must be an integer from ${INT64_MIN} to ${INT64_MAX} (int64; got ${quoted})`
  }
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, Number(exact)))
}

/**
 * Reads a query string as Clerk does: an array parameter takes every repeated key in order; a scalar given twice
 * keeps the first (as Clerk documents for `order_by`); an integer is digits with an optional sign only (`5.0`,
 * `1e3`, `0x10` are refused) within int64 (`readInteger`); an empty scalar is an absent one; a boolean is what Go's `strconv.ParseBool` takes (normalized to `true`/`false`);
 * keys the operation does not declare are ignored. Gives the record to decode and the normalized query string to
 * validate, or the first parameter that cannot be read.
 *
 * @internal
 */
export const readQuery = (
  params: URLSearchParams,
  kinds: ReadonlyMap<string, QueryKind>
):
  | { readonly _tag: "Read"; readonly record: Record<string, string | Array<string>>; readonly search: string }
  | { readonly _tag: "Invalid"; readonly name: string; readonly message: string } =>
{
  const record: Record<string, string | Array<string>> = {}
  const seen = new Set<string>()
  for (const [name, value] of params) {
    const kind = kinds.get(name)
    if (kind === undefined) continue
    const current = record[name]
    if (kind === "array") {
      if (Array.isArray(current)) current.push(value)
      else record[name] = [value]
      continue
    }
    if (seen.has(name)) continue
    seen.add(name)
    // an empty scalar is an absent one (Go's url.Values.Get cannot tell them apart)
    if (value === "") continue
    if (kind === "integer") {
      const read = readInteger(value)
      if (typeof read === "string") return { _tag: "Invalid", name, message: read }
      record[name] = String(read)
    } else if (kind === "boolean") {
      const normalized = Object.hasOwn(booleans, value) ? booleans[value] : undefined
      if (normalized === undefined) {
        return { _tag: "Invalid", name, message: `must be true or false (got ${JSON.stringify(value)})` }
      }
      record[name] = normalized
    } else {
      record[name] = value
    }
  }
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(record)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, v)
  }
  return { _tag: "Read", record, search: search.toString() }
}
