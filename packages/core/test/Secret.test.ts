import { ClerkClient, Endpoint, TransportError } from "@effect-clerk/core"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import { isInvisible, scrubber } from "../src/internal/redact.js"
import { clerkErrors, clientLayer, getThing, jsonResponse, networkReset, secret } from "./fixtures.js"

const secretParts = [secret, secret.slice("sk_test_".length), secret.slice(-16)]

const render = (value: unknown): Array<string> => {
  const out = [String(value), Inspectable.format(value)]
  try {
    out.push(JSON.stringify(value) ?? "")
  } catch (e) {
    out.push(String(e))
  }
  if (value instanceof Error && value.stack) out.push(value.stack)
  return out
}

describe("the secret key", () => {
  it.effect("never appears in errors, logs, spans or printed objects", () => {
    const spans: Array<Tracer.Span> = []
    const logs: Array<string> = []
    const texts: Array<string> = []
    let call = 0
    const respond = () => {
      call++
      switch (call % 5) {
        case 0:
          return jsonResponse(200, { id: "thing_1", first_name: null })
        case 1:
          return jsonResponse(401, clerkErrors("authentication_invalid", "bad key"))
        case 2:
          return new Response("<html>oops</html>", { status: 502 })
        case 3:
          return new Response("{\"id\":", { status: 200 })
        default:
          return jsonResponse(429, clerkErrors("too_many", "slow"), { "retry-after": "1" })
      }
    }
    return Effect.gen(function*() {
      const native = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => native.context(f, fiber)
      })
      const logger = Logger.make(({ message, cause }) => {
        logs.push(Inspectable.format(message), Cause.pretty(cause))
      })
      const run = <A, E>(effect: Effect.Effect<A, E, ClerkClient>) =>
        effect.pipe(
          Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
          Effect.tap((value) => Effect.logInfo("call succeeded", value)),
          Effect.exit,
          Effect.withTracer(recording),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
      const exits = []
      for (let i = 0; i < 5; i++) exits.push(yield* run(Endpoint.call(getThing, { path: ["thing_1"] })))
      exits.push(yield* run(Endpoint.call(getThing, { path: ["../x"] })))
      exits.push(
        yield* run(Endpoint.call(getThing, { path: ["thing_1"] })).pipe(Effect.provide(clientLayer(networkReset)))
      )
      const slow = yield* Effect.fork(
        run(Endpoint.call(getThing, { path: ["thing_1"] })).pipe(Effect.provide(clientLayer(() => Effect.never)))
      )
      yield* TestClock.adjust("11 seconds")
      exits.push(yield* Fiber.join(slow))

      const client = yield* ClerkClient
      texts.push(...render(client), ...render(client.config), ...render(client.config.secretKey))
      for (const exit of exits) {
        texts.push(...render(exit))
        if (Exit.isFailure(exit)) {
          texts.push(Cause.pretty(exit.cause))
          for (const error of Cause.failures(exit.cause)) texts.push(...render(error))
        }
      }
      for (const span of spans) {
        texts.push(span.name, ...render(Object.fromEntries(span.attributes)))
      }
      texts.push(...logs)

      expect(exits.filter(Exit.isFailure)).toHaveLength(7)
      expect(spans.length).toBeGreaterThan(5)
      expect(logs.length).toBeGreaterThan(5)
      const leaks = texts.filter((text) => secretParts.some((part) => text.includes(part)))
      expect(leaks).toEqual([])
      // the key is really used on the wire
      expect(texts.join("\n")).toContain("<redacted>")
    }).pipe(Effect.provide(clientLayer(respond)))
  })

  it.effect("layerConfig reads CLERK_SECRET_KEY as Redacted and CLERK_API_URL, and fails typed without a key", () =>
    Effect.gen(function*() {
      const urls: Array<string> = []
      const http = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) => {
          urls.push(request.url)
          return Effect.succeed(HttpClientResponse.fromWeb(request, jsonResponse(200, { id: "t", first_name: null })))
        })
      )
      const withEnv = (env: Record<string, string>) =>
        Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
      const live = ClerkClient.layerConfig().pipe(Layer.provide(http))
      yield* Endpoint.call(getThing, { path: ["t"] }).pipe(
        Effect.provide(live),
        Effect.provide(withEnv({ CLERK_SECRET_KEY: secret, CLERK_API_URL: "http://127.0.0.1:9/" }))
      )
      expect(urls).toEqual(["http://127.0.0.1:9/v1/things/t"])
      const config = yield* ClerkClient.pipe(
        Effect.map((c) => c.config),
        Effect.provide(live),
        Effect.provide(withEnv({ CLERK_SECRET_KEY: "sk_live_abc" }))
      )
      expect(config.apiUrl).toBe("https://api.clerk.com")
      expect(config.instance).toBe("production")
      expect(String(config.secretKey)).toBe("<redacted>")
      const missing = yield* ClerkClient.pipe(
        Effect.provide(live),
        Effect.provide(withEnv({})),
        Effect.flip
      )
      expect(missing._tag).toBe("ConfigError")
      expect(String(missing)).toContain("CLERK_SECRET_KEY")
    }))
})

describe("a transport failure whose own message carries the key", () => {
  // what a transport could put in its error: the header it was sending, the key bare, its base64, in nested causes
  const echoing = (request: HttpClientRequest.HttpClientRequest) => {
    const authorization = request.headers["authorization"] ?? ""
    const system = Object.assign(new Error(`connect ECONNREFUSED key=${secret}`), {
      code: "ECONNREFUSED",
      syscall: `connect ${secret}`,
      port: 443,
      secretCopy: secret
    })
    const members = new AggregateError([system, new Error(Buffer.from(secret).toString("base64"))], `all ${secret}`)
    const cause = new TypeError(`boom ${authorization}`, { cause: members })
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
  }

  it.effect("shows the key nowhere: message, cause chain, inspect at any depth, JSON, Cause.pretty, spans, logs", () => {
    const spans: Array<Tracer.Span> = []
    const logs: Array<string> = []
    return Effect.gen(function*() {
      const native = yield* Effect.tracer
      const recording = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => native.context(f, fiber)
      })
      const logger = Logger.make((options) => {
        logs.push(
          Logger.stringLogger.log(options),
          Logger.logfmtLogger.log(options),
          Logger.jsonLogger.log(options),
          inspect(Logger.structuredLogger.log(options), { depth: Infinity })
        )
      })
      const exit = yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
        Effect.tapErrorCause((cause) => Effect.logError("call failed", cause)),
        Effect.exit,
        Effect.withTracer(recording),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      const error = Cause.squash(exit.cause)
      if (!(error instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(error)}`)
      expect(error.reason).toBe("RequestError")
      // the cause keeps its shape: name, scrubbed message, the system error's code, the chain and the members
      const cause = error.cause
      expect(cause).toBeInstanceOf(Error)
      if (!(cause instanceof Error)) return
      expect(cause.name).toBe("TypeError")
      expect(cause.message).toBe("boom <redacted>")
      const members = cause.cause
      if (!(members instanceof Error)) throw new Error("expected the AggregateError's copy")
      expect(members.message).toBe("all <redacted>")
      expect(members).toHaveProperty("errors")
      const [system] = Reflect.get(members, "errors") as ReadonlyArray<Error>
      expect(system).toMatchObject({ code: "ECONNREFUSED", syscall: "connect <redacted>", port: 443 })
      expect(system).not.toHaveProperty("secretCopy")

      const texts = [
        String(error),
        error.message,
        inspect(error),
        inspect(error, { depth: Infinity, showHidden: true }),
        inspect(exit, { depth: Infinity }),
        JSON.stringify(error),
        JSON.stringify(exit),
        Cause.pretty(exit.cause),
        Cause.pretty(exit.cause, { renderErrorCause: true }),
        ...logs
      ]
      for (const span of spans) texts.push(inspect(span.status, { depth: Infinity }), inspect([...span.attributes]))
      expect(spans.length).toBeGreaterThan(0)
      expect(logs.length).toBeGreaterThan(0)
      const leaks = texts.filter((text) => secretParts.some((part) => text.includes(part)))
      expect(leaks).toEqual([])
      expect(inspect(error, { depth: Infinity })).toContain("boom <redacted>")
    }).pipe(Effect.provide(clientLayer(echoing)))
  })
})

describe("scrubber: the key in other cases, encodings and with zero-width characters", () => {
  const key = "sk_test_AbCdEfGh1234567890xyzQRS"
  const keyBody = key.slice("sk_test_".length)
  const scrub = scrubber(Redacted.make(key))
  const bytes = (text: string) => Buffer.from(text, "utf8")
  const forms: ReadonlyArray<readonly [string, string]> = [
    ["exact", key],
    ["upper case", key.toUpperCase()],
    ["lower case body", keyBody.toLowerCase()],
    ["base64", bytes(key).toString("base64")],
    ["base64url", bytes(key).toString("base64url")],
    ["base64 of the body", bytes(keyBody).toString("base64")],
    ["hex", bytes(key).toString("hex")],
    ["HEX", bytes(key).toString("hex").toUpperCase()],
    ["hex of the body", bytes(keyBody).toString("hex")],
    ["zero-width spaces", Array.from(keyBody).join("\u200B")],
    ["zero-width joiners and BOM", Array.from(key).join("\u200D\uFEFF")],
    // every other invisible (default-ignorable or format) character, one kind at a time
    ...[
      ["LRM", "\u200E"],
      ["RLM", "\u200F"],
      ["soft hyphen", "\u00AD"],
      ["Mongolian vowel separator", "\u180E"],
      ["function application", "\u2061"],
      ["invisible times", "\u2062"],
      ["invisible separator", "\u2063"],
      ["invisible plus", "\u2064"],
      ["combining grapheme joiner", "\u034F"],
      ["Arabic letter mark", "\u061C"],
      ["LRE", "\u202A"],
      ["RLE", "\u202B"],
      ["PDF", "\u202C"],
      ["LRO", "\u202D"],
      ["RLO", "\u202E"],
      ["LRI", "\u2066"],
      ["RLI", "\u2067"],
      ["FSI", "\u2068"],
      ["PDI", "\u2069"],
      ["Hangul filler", "\u3164"],
      ["variation selector 16", "\uFE0F"],
      ["interlinear annotation anchor", "\uFFF9"],
      ["tag space (outside the BMP)", "\u{E0020}"],
      ["musical symbol begin beam (outside the BMP)", "\u{1D173}"],
      ["a mix", "\u200E\u00AD\u2062\u{E0041}"],
      // control characters: raw in decoded text, JSON-escaped in a body
      ["NUL", "\u0000"],
      ["BEL", "\u0007"],
      ["newline", "\n"],
      ["DEL and a C1 control", "\u007F\u0085"],
      ["NUL as a JSON escape", "\\u0000"],
      ["newline as a JSON escape", "\\n"],
      ["BEL as a JSON escape", "\\u0007"]
    ].map(([name, separator]) => [name!, Array.from(key).join(separator)] as const)
  ]
  for (const [what, form] of forms) {
    it(`${what} is redacted`, () => {
      const out = scrub(`{"echo":"${form}","n":1}`)
      expect(out).toBe(`{"echo":"<redacted>","n":1}`)
    })
  }
  it("other text is left alone", () => {
    expect(scrub("user_2abc signed in; sk is short")).toBe("user_2abc signed in; sk is short")
  })
})

describe("scrubber: every invisible character, and only those, is looked through", () => {
  const key = "sk_test_AbCdEfGh1234567890xyzQRS"
  const scrub = scrubber(Redacted.make(key))

  it("the set is the runtime's default-ignorable code points, format (Cf) and control (Cc) characters, all of Unicode", () => {
    const expected = /^[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]$/u
    const differ: Array<string> = []
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const char = String.fromCodePoint(code)
      if (isInvisible(char) !== expected.test(char)) differ.push(code.toString(16))
    }
    expect(differ).toEqual([])
  })

  it("what is around the key stays, characters outside the BMP and invisible ones included", () => {
    const hidden = Array.from(key).join("\u200E\u{E0020}")
    expect(scrub(`😀\u200E${hidden}\u2066é😀`)).toBe("😀\u200E<redacted>\u2066é😀")
    expect(scrub(`a\u00ADb ${hidden} ${hidden}.`)).toBe("a\u00ADb <redacted> <redacted>.")
    // visible characters between the key's are not looked through
    expect(scrub(Array.from(key).join("\u00E9"))).toBe(Array.from(key).join("\u00E9"))
    expect(scrub(Array.from(key).join(" "))).toBe(Array.from(key).join(" "))
  })

  it("a key too long for a pattern (exact matches) is found across invisible characters too", () => {
    const long = "sk_test_" + "Ab1".repeat(5000)
    const out = scrubber(Redacted.make(long))(`<${Array.from(long).join("\u2062")}> <${long.slice(8)}>`)
    expect(out).toBe("<<redacted>> <<redacted>>")
  })
})

describe("scrubber: any key length", () => {
  it("a key far longer than ClerkClient accepts is still removed, and building its scrubber does not throw", () => {
    const key = "sk_test_" + "Ab1".repeat(5000)
    const body = key.slice("sk_test_".length)
    const scrub = scrubber(Redacted.make(key))
    const text = [key, body, Buffer.from(key).toString("base64"), Buffer.from(body).toString("hex")]
      .map((form) => `<${form}>`).join(" ")
    expect(scrub(text)).toBe("<<redacted>> <<redacted>> <<redacted>> <<redacted>>")
  })

  it.effect("an error response for a hand-made service holding such a key is a typed error, not a defect", () =>
    Effect.gen(function*() {
      const key = "sk_test_" + "Ab1".repeat(5000)
      const service: ClerkClient.Service = {
        config: { ...(yield* ClerkClient).config, secretKey: Redacted.make(key) },
        execute: () =>
          Effect.succeed({
            status: 404,
            headers: {},
            body: JSON.stringify(clerkErrors("resource_not_found", `echo ${key.slice(8)}`))
          })
      }
      const error = yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
        Effect.provideService(ClerkClient, service),
        Effect.flip
      )
      expect(error._tag).toBe("NotFound")
      expect(Cause.pretty(Cause.fail(error))).not.toContain("Ab1Ab1Ab1")
    }).pipe(Effect.provide(clientLayer(() => jsonResponse(200, {})))))
})

describe("scrubber: short keys (a body under 8 characters)", () => {
  // What a server could echo: the key's body in an error message, a trace id header, a redirect's location, an
  // undecodable success body and a body without Clerk's envelope.
  const echoes = (body: string) => [
    () => jsonResponse(404, clerkErrors("resource_not_found", `no key ${body} here`), { "x-clerk-trace-id": body }),
    () => new Response(null, { status: 302, headers: { location: `https://elsewhere.test/login?key=${body}&x=1` } }),
    () => new Response(`{"echo":"${body}",`, { status: 200, headers: { "x-clerk-trace-id": `t-${body}` } }),
    () => new Response(`bad key: ${body.toLowerCase()}`, { status: 502 })
  ]
  const errorTexts = (body: string) =>
    Effect.gen(function*() {
      const texts: Array<string> = []
      for (const respond of echoes(body)) {
        const exit = yield* Endpoint.call(getThing, { path: ["thing_1"] }).pipe(
          Effect.exit,
          Effect.provide(clientLayer(respond, { requests: [] }, { secretKey: Redacted.make(`sk_test_${body}`) }))
        )
        if (Exit.isSuccess(exit)) throw new Error("expected a failure")
        texts.push(Cause.pretty(exit.cause), ...Array.from(Cause.failures(exit.cause)).flatMap(render))
      }
      return texts
    })

  for (
    const body of ["Zq9", "Zq9x", "Zq9xW", "Zq9xW4", "Zq9xW4k", "Zq9xW4kP", "Zq9xW4kPa7Lm3Nb8Vc2Xd5Yf6Gh1Jk4Lp0Qr9St"]
  ) {
    it.effect(`a body of ${body.length} characters echoed in bodies and headers is redacted`, () =>
      Effect.gen(function*() {
        const texts = yield* errorTexts(body)
        expect(texts.join("\n")).toContain("<redacted>")
        expect(texts.filter((text) => text.toLowerCase().includes(body.toLowerCase()))).toEqual([])
      }))
  }

  it.effect("a body of 1 or 2 characters is left in the text (it is ordinary text, not an identifying secret)", () =>
    Effect.gen(function*() {
      for (const body of ["q", "Zq"]) {
        const texts = yield* errorTexts(body)
        expect(texts.join("\n")).toContain(`no key ${body} here`)
        expect(texts.join("\n")).toContain(`key=${body}&x=1`)
      }
    }))

  it("a short body is redacted as a whole word only: inside a longer word or id it is left alone", () => {
    const scrub = scrubber(Redacted.make("sk_test_abc"))
    expect(scrub(`abc "ABC" key=abc; xabc abcdef user_abcd a-abc-b`)).toBe(
      `<redacted> "<redacted>" key=<redacted>; xabc abcdef user_abcd a-<redacted>-b`
    )
    expect(scrub(`{"k":"${Buffer.from("abc").toString("base64")}","h":"${Buffer.from("abc").toString("hex")}"}`))
      .toBe(`{"k":"<redacted>","h":"<redacted>"}`)
    expect(scrub("sk_test_abc and SK_TEST_ABC")).toBe("<redacted> and <redacted>")
    const id = scrubber(Redacted.make("sk_test_id"))
    expect(id(`{"id":"user_1","message":"an id"}`)).toBe(`{"id":"user_1","message":"an id"}`)
  })
})

/** `text` with the characters at `positions` (every one when `undefined`) written as JSON `\uXXXX` escapes. */
const uEscape = (text: string, positions?: ReadonlyArray<number>) =>
  Array.from(
    text,
    (char, i) =>
      positions === undefined || positions.includes(i) ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}` : char
  ).join("")

/** Every way an error shows itself (message, fields, `Cause.pretty`, `inspect`, JSON). */
const shown = (error: unknown): string =>
  [...render(error), inspect(error, { depth: Infinity }), Cause.pretty(Cause.fail(error))].join("\n")

describe("the key written with JSON escapes in a response body", () => {
  const key = "sk_test_Ab3dEf6hIj9kLmN0pQrStUvWxYz0123"
  const parts = [key.slice(8), key.slice(-12), key.slice(8, 20)]
  const notFound = (body: string) =>
    Endpoint.decodeResponse(getThing, { status: 404, headers: {}, body }, 0, { secretKey: Redacted.make(key) })

  it.effect("decoded strings (message, trace id, meta keys and values, nested) and the excerpt hold no part of it", () =>
    Effect.gen(function*() {
      const all = uEscape(key)
      const one = uEscape(key, [10])
      const mixed = uEscape(key, [0, 9, 20, 30]).toUpperCase().replace(/\\U/g, "\\u")
      const body =
        `{"errors":[{"code":"resource_not_found","message":"not found","long_message":"bad auth: Bearer ${all}",` +
        `"meta":{"k":"${one}","${all}":1,"nested":{"deep":["${uEscape(key.slice(8))}",{"x":"${mixed}"}]}}}],` +
        `"clerk_trace_id":"${all}"}`
      const error = yield* Effect.flip(notFound(body))
      assert(error._tag === "NotFound")
      expect(error.message).toBe("bad auth: <redacted>")
      expect(error.clerkTraceId).toBe("<redacted>")
      expect(error.errors[0]?.meta).toEqual({
        k: "<redacted>",
        "<redacted>": 1,
        nested: { deep: ["<redacted>", { x: "<redacted>" }] }
      })
      const text = shown(error)
      expect(parts.filter((part) => text.toLowerCase().includes(part.toLowerCase()))).toEqual([])

      // undocumented status: the raw excerpt too
      const unexpected = yield* Effect.flip(
        Endpoint.decodeResponse(getThing, { status: 418, headers: {}, body: `{"echo":"${all}","one":"${one}"` }, 0, {
          secretKey: Redacted.make(key)
        })
      )
      expect(unexpected._tag).toBe("UnexpectedStatus")
      expect(unexpected._tag === "UnexpectedStatus" && unexpected.excerpt).toBe(
        `{"echo":"<redacted>","one":"<redacted>"`
      )
      expect(parts.filter((part) => shown(unexpected).includes(part))).toEqual([])
    }))

  it("the scrubber removes the key with any of its characters \\u-escaped, in either hex case", () => {
    const scrub = scrubber(Redacted.make(key))
    for (const form of [uEscape(key), uEscape(key, [3, 8, 15]), uEscape(key).toUpperCase().replace(/\\U/g, "\\u")]) {
      expect(scrub(`{"a":"${form}"}`)).toBe(`{"a":"<redacted>"}`)
    }
    expect(scrub(`{"a":"${Array.from(key.slice(8)).join("\\u200b")}"}`)).toBe(`{"a":"<redacted>"}`)
    for (const escaped of ["\\u200e", "\\u00ad", "\\u2062", "\\u202E", "\\u2069", "\\udb40\\udc20", "\\uDB40\\uDC7F"]) {
      expect(scrub(`{"a":"${Array.from(key.slice(8)).join(escaped)}"}`)).toBe(`{"a":"<redacted>"}`)
    }
    // an escaped character that is not invisible stays as written
    expect(scrub(`{"a":"x\\u00e9\\ud83d\\ude00y"}`)).toBe(`{"a":"x\\u00e9\\ud83d\\ude00y"}`)
  })
})

describe("a key holding \" or \\ (printable ASCII, accepted by the layer)", () => {
  for (
    const key of [
      "sk_test_Ab3dEf6hIj9k\"LmN0pQrStUvWxYz0123",
      "sk_test_Ab3dEf6hIj9k\\LmN0pQrStUvWxYz0123",
      "sk_test_\"quote\"",
      "sk_test_back\\slash1",
      "sk_test_with/slash/Ab3dEf6hIj9k"
    ]
  ) {
    it.effect(`${JSON.stringify(key)} echoed in a JSON body is removed whole`, () =>
      Effect.gen(function*() {
        const secretKey = Redacted.make(key)
        const echo = `bad auth: Bearer ${key}`
        const body = JSON.stringify({
          errors: [{ code: "resource_not_found", message: "not found", long_message: echo, meta: { k: key } }],
          clerk_trace_id: key
        })
        const notFound = yield* Effect.flip(
          Endpoint.decodeResponse(getThing, { status: 404, headers: {}, body }, 0, { secretKey })
        )
        expect(notFound.message).toBe("bad auth: <redacted>")
        const unexpected = yield* Effect.flip(
          Endpoint.decodeResponse(getThing, { status: 418, headers: {}, body: body.replace(/\//g, "\\/") }, 0, {
            secretKey
          })
        )
        const text = shown(notFound) + shown(unexpected)
        expect(text).not.toContain(key.slice(8))
        expect(text).not.toContain(JSON.stringify(key).slice(9, -1))
        expect(text).not.toContain(key.slice(-6))
        expect(text).toContain("<redacted>")
      }))
  }
})

describe("a 2xx body that is not JSON", () => {
  it.effect("the DecodeError's message does not quote the body as V8's JSON.parse message does", () =>
    Effect.gen(function*() {
      const key = "sk_test_Ab3dEf6hIj9kLmN0pQrStUvWxYz0123456789abcdEF"
      const decode = (body: string) =>
        Effect.flip(
          Endpoint.decodeResponse(getThing, { status: 200, headers: {}, body }, 0, { secretKey: Redacted.make(key) })
        )
      const quoted = yield* decode(`[1,${key.slice(8)}]`)
      expect(quoted.message).toBe("Things.get (GET /things/{thing_id}): HTTP 200: response is not JSON")
      expect(quoted._tag === "DecodeError" && quoted.excerpt).toBe("[1,<redacted>]")
      expect(shown(quoted)).not.toContain(key.slice(8, 14))
      const positioned = yield* decode(`{"id":"a"} x`)
      expect(positioned.message).toContain("response is not JSON (invalid at position 11)")
      const cut = yield* decode(`{"id":`)
      expect(cut.message).toContain("response is not JSON (it ends early)")
    }))
})

describe("scrubbing work is bounded by what errors keep", () => {
  const key = "sk_test_" + "a".repeat(247) + "b"
  const secretKey = Redacted.make(key)
  it.effect("decoded strings are kept to 4096 characters and 64 KiB in all; excerpts scrub only their start", () =>
    Effect.gen(function*() {
      const long = "a".repeat(200_000)
      const body = JSON.stringify({
        errors: [{
          code: "x",
          message: "m",
          long_message: long,
          meta: { many: Array.from({ length: 40 }, () => long) }
        }]
      })
      const error = yield* Effect.flip(
        Endpoint.decodeResponse(getThing, { status: 404, headers: {}, body }, 0, { secretKey })
      )
      assert(error._tag === "NotFound")
      expect(error.message).toBe(`${"a".repeat(4096)}…`)
      const many = error.errors[0]?.meta?.["many"]
      assert(Array.isArray(many))
      expect(many.filter((item) => item === `${"a".repeat(4096)}…`).length).toBeLessThan(16)
      expect(many.at(-1)).toBe("…")
      // the key straddling the excerpt's end is removed whole, though only the start of the body is scrubbed
      const straddling = `${"x".repeat(1000)}${key}${"y".repeat(100_000)}`
      const unexpected = yield* Effect.flip(
        Endpoint.decodeResponse(getThing, { status: 418, headers: {}, body: straddling }, 0, { secretKey })
      )
      assert(unexpected._tag === "UnexpectedStatus")
      expect(unexpected.excerpt).toBe(`${"x".repeat(1000)}<redacted>${"y".repeat(14)}…`)
    }))
})
