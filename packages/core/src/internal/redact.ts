import * as Redacted from "effect/Redacted"

/**
 * The longest secret key accepted (Clerk's are about 50 characters). The key goes into the `Authorization` header
 * and into the error scrubber's pattern (below), which grows with the key's length.
 *
 * @internal
 */
export const maxKeyLength = 256

const bearer = /Bearer\s+[^\s"'\\,;]*/gi
const anyClerkKey = /sk_(?:test|live)_[A-Za-z0-9_-]+/gi
/**
 * The characters a server could slip between the key's characters unseen: every default-ignorable code point and
 * every format (`Cf`) character (Unicode 17), and the control characters (`Cc`, see `invisibleAt`), which covers zero-width spaces and joiners, the BOM, bidi marks,
 * embeddings, overrides and isolates, the soft hyphen, invisible operators, the combining grapheme joiner, variation
 * selectors, fillers, and outside the BMP the shorthand format controls, musical beams and tags. Code point ranges,
 * inclusive; `test/Secret.test.ts` checks them against the runtime's `\p{Default_Ignorable_Code_Point}` and `\p{Cf}`.
 */
const invisibleRanges: ReadonlyArray<readonly [number, number]> = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff]
]

/** The ranges as one flat list (from, to, from, to, …), read by index in the scan below. */
const bounds = Int32Array.from(invisibleRanges.flat())

/**
 * A control character's JSON escape (`\n`, `\u0000`, …): JSON text cannot hold the character itself, so a server
 * separating the key's characters with controls writes these, which the scan looks through as it does the controls.
 */
const escapedControl = /\\(?:[bfnrt]|u00[01][0-9a-fA-F]|u007[fF]|u00[89][0-9a-fA-F])/y

/**
 * How many UTF-16 units the invisible character at `i` of `text` takes: 0 when the character there is visible.
 * Control characters (`Cc`: C0, DEL, C1) count as invisible too, as do their JSON escapes.
 */
const invisibleAt = (text: string, i: number): number => {
  const unit = text.charCodeAt(i)
  if (unit < 0xad) {
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) return 1
    if (unit !== 0x5c) return 0
    escapedControl.lastIndex = i
    return escapedControl.test(text) ? escapedControl.lastIndex - i : 0
  }
  const code = unit >= 0xd800 && unit <= 0xdbff ? text.codePointAt(i)! : unit
  for (let r = 0; r < bounds.length; r += 2) {
    if (code < bounds[r]!) return 0
    if (code <= bounds[r + 1]!) return code > 0xffff ? 2 : 1
  }
  return 0
}

/** Printable ASCII without a backslash (most bodies) has no invisible character; a native scan says so. */
const belowFirstInvisible = /^[\u0020-\u005b\u005d-\u007e\u00a0-\u00ac]*$/

/**
 * Whether `char` (one code point) is invisible in the sense above.
 *
 * @internal
 */
export const isInvisible = (char: string): boolean => char.length > 0 && invisibleAt(char, 0) === char.length

/**
 * `text` without its invisible characters, with the index in `text` of each UTF-16 unit kept; `undefined` when it
 * has none (the usual case: one pass of `charCodeAt`).
 */
const visible = (text: string): { readonly text: string; readonly at: Int32Array } | undefined => {
  if (belowFirstInvisible.test(text)) return undefined
  let i = 0
  while (i < text.length && invisibleAt(text, i) === 0) i++
  if (i === text.length) return undefined
  const at = new Int32Array(text.length)
  const parts: Array<string> = []
  let kept = 0
  let run = 0
  for (i = 0; i < text.length;) {
    const skip = invisibleAt(text, i)
    if (skip === 0) {
      at[kept++] = i++
      continue
    }
    if (i > run) parts.push(text.slice(run, i))
    i += skip
    run = i
  }
  parts.push(text.slice(run))
  return { text: parts.join(""), at }
}

/** Where the key is in a text: start and end offsets, in order, not overlapping. */
type Finder = (text: string) => ReadonlyArray<readonly [number, number]>

/**
 * `text` with what `find` finds in it redacted, invisible characters not counted: the finder reads the text without
 * them, and each span it finds is mapped back to the original (the invisible characters inside it go too).
 */
const redactVisible = (find: Finder, text: string): string => {
  const shown = visible(text)
  const spans = find(shown === undefined ? text : shown.text)
  if (spans.length === 0) return text
  let out = ""
  let from = 0
  for (const [start, end] of spans) {
    out += text.slice(from, shown === undefined ? start : shown.at[start]!) + "<redacted>"
    from = shown === undefined ? end : shown.at[end - 1]! + 1
  }
  return out + text.slice(from)
}

const escape = (char: string) => char.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")

const base64 = (text: string) => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/=+$/, "")
}

/** A pattern matching `text` (any case: the pattern is made with the `i` flag), then `suffix`. */
const loose = (text: string, suffix = "") => Array.from(text, escape).join("") + suffix

/** The patterns of one needle: itself, its base64 and base64url (padding included) and hex. */
const encodings = (needle: string): ReadonlyArray<string> => {
  const b64 = base64(needle)
  const hex = Array.from(new TextEncoder().encode(needle), (byte) => byte.toString(16).padStart(2, "0")).join("")
  return [loose(needle), loose(b64, "={0,2}"), loose(b64.replace(/\+/g, "-").replace(/\//g, "_"), "={0,2}"), loose(hex)]
}

/**
 * A JSON escape in raw text: an escaped backslash (kept, so `\\u0041` is not read as an escape), `\/`, a surrogate
 * pair `\uD8xx\uDCxx` (one character outside the BMP) or one `\uXXXX`.
 */
const jsonEscape = /\\\\|\\\/|\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})/g

/**
 * `text` with the JSON escapes that a JSON string may use for a key's characters written out: `\/` as `/`, and
 * `\uXXXX` (or a surrogate pair of them) of a printable ASCII or invisible character as that character (`\u0022` as `\"`, `\u005c` as `\\`, so
 * the text stays valid JSON). A key written as `\u0073\u006b…` is then found by the pattern; the excerpt shows the
 * characters instead of their escapes. Linear, and only run on text holding a backslash.
 */
const unescapeJson = (text: string): string =>
  text.replace(jsonEscape, (match, high: string | undefined, low: string | undefined, hex: string | undefined) => {
    if (match === "\\/") return "/"
    if (high !== undefined && low !== undefined) {
      const pair = String.fromCharCode(Number.parseInt(high, 16), Number.parseInt(low, 16))
      return isInvisible(pair) ? pair : match
    }
    if (hex === undefined) return match
    const code = Number.parseInt(hex, 16)
    if (code === 0x22) return "\\\""
    if (code === 0x5c) return "\\\\"
    const char = String.fromCharCode(code)
    // a control stays escaped (JSON text cannot hold it; the scan looks through the escape)
    return (code >= 0x20 && code < 0x7f) || (code > 0x9f && isInvisible(char)) ? char : match
  })

/** One scrubber per key object: building the pattern costs ~150 µs, and every response asks for it. */
const built = new WeakMap<Redacted.Redacted<string>, (text: string) => string>()

/** Exact occurrences only (the key, its body, their base64 and hex; longest first): no pattern, so any key length works. */
const literal = (needles: ReadonlyArray<string>): Finder => (text) => {
  const spans: Array<readonly [number, number]> = []
  for (const needle of needles) {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
      const end = at + needle.length
      if (!spans.some(([start, stop]) => at < stop && start < end)) spans.push([at, end])
    }
  }
  return spans.sort((a, b) => a[0] - b[0])
}

/**
 * A key body this long or longer is redacted wherever it occurs, like the whole key. A shorter one (a test key such
 * as `sk_test_abc`; Clerk's are about 40 characters) is redacted only as a whole word (not next to a letter or digit):
 * a string of 3 to 7 characters inside a longer word or id is more likely chance than the key.
 */
const anywhereBody = 8

/**
 * A key body shorter than this is left alone: 1 or 2 characters are ordinary text (`a`, `id`, `ok`, JSON keys), so
 * redacting them would mangle every message, and a body that short (a few thousand values) is guessed without any help.
 */
const minBody = 3

/** The pattern of a short body's encodings, matching only where no letter or digit is next to it. */
const word = (alternative: string) => `(?<![A-Za-z0-9])(?:${alternative})(?![A-Za-z0-9])`

const pattern = (
  needles: ReadonlyArray<string>,
  words: ReadonlyArray<string>
): Finder | undefined => {
  if (needles.length === 0 && words.length === 0) return undefined
  const alternatives = needles.flatMap(encodings)
    // longest first, so the whole key is redacted rather than its body leaving the prefix behind
    .sort((a, b) => b.length - a.length)
    .concat(words.flatMap(encodings).sort((a, b) => b.length - a.length).map(word))
  try {
    const own = new RegExp(alternatives.join("|"), "gi")
    return (text) => Array.from(text.matchAll(own), (match) => [match.index, match.index + match[0].length] as const)
  } catch {
    return undefined
  }
}

const build = (secretKey: Redacted.Redacted<string> | undefined): (text: string) => string => {
  const secret = secretKey === undefined ? "" : Redacted.value(secretKey)
  const body = secret.replace(/^sk_(?:test|live)_/, "")
  // a key holding `"` or `\\` is also looked for as a JSON string writes it (`\\"`, `\\\\`)
  const needles = [secret, body].flatMap((needle) => {
    const quoted = JSON.stringify(needle).slice(1, -1)
    return quoted === needle ? [needle] : [needle, quoted]
  }).filter((needle) => needle.length >= anywhereBody)
  const words = body.length >= minBody && body.length < anywhereBody
    ? Array.from(new Set([body, JSON.stringify(body).slice(1, -1)]))
    : []
  // The pattern grows ~80 characters per key character and V8 refuses one past a few hundred thousand ("Invalid
  // regular expression"). `ClerkClient` refuses longer keys; one reaching here by another road (a hand-made service)
  // is removed by exact match instead.
  if (needles.length === 0 && words.length === 0) {
    return (text) => text.replace(bearer, "<redacted>").replace(anyClerkKey, "<redacted>")
  }
  const own = secret.length <= maxKeyLength ? pattern(needles, words) : undefined
  const ownKey = own ?? literal(
    needles.flatMap((needle) => {
      const b64 = base64(needle)
      const b64url = b64.replace(/\+/g, "-").replace(/\//g, "_")
      const padding = "=".repeat((4 - (b64.length % 4)) % 4)
      const hex = Array.from(new TextEncoder().encode(needle), (byte) => byte.toString(16).padStart(2, "0")).join("")
      return [needle, b64 + padding, b64, b64url + padding, b64url, hex, hex.toUpperCase()]
    }).sort((a, b) => b.length - a.length)
  )
  return (text) =>
    redactVisible(ownKey, text.includes("\\") ? unescapeJson(text) : text).replace(bearer, "<redacted>").replace(
      anyClerkKey,
      "<redacted>"
    )
}

const noKey = build(undefined)

/**
 * A function that removes the secret key from text a server sent (a body, a header value), before the text goes
 * into an error message or excerpt: every `Bearer …` value, every Clerk secret key (`sk_test_…`, `sk_live_…`, any
 * case), and every occurrence of this key, with or without its prefix, in any letter case, as its exact base64,
 * base64url or hex encoding (any case), with invisible characters between its characters, and with any of its
 * characters written as a JSON string escapes them (`\u0073`, `\"`, `\\`, `\/`: the body is JSON text, and the
 * key may hold `"` or `\`). Each becomes `<redacted>`. The pattern is built once per key (cached by the `Redacted`
 * object). Not covered: other encodings (percent-encoding, a key split across base64 quanta of a longer encoded
 * text); strings taken from a parsed body are scrubbed after `JSON.parse` too (`scrubJson`). A key over 256
 * characters (which `ClerkClient` refuses at layer build) is removed by exact match only (itself, its JSON-escaped
 * form, its body, their base64, base64url and hex), so no key length makes the scrubber throw.
 *
 * @internal
 */
export const scrubber = (secretKey: Redacted.Redacted<string> | undefined): (text: string) => string => {
  if (secretKey === undefined) return noKey
  let scrub = built.get(secretKey)
  if (scrub === undefined) {
    scrub = build(secretKey)
    built.set(secretKey, scrub)
  }
  return scrub
}

/** Own properties of an error copied onto its scrubbed copy when they hold a string or a number (undici's system errors). */
const copiedFields = ["code", "errno", "syscall", "address", "port", "hostname"] as const

/** Reads a property, or `undefined` when its getter throws (a hostile or exotic error must not make the call die). */
const read = (value: object, key: string): unknown => {
  try {
    const field: unknown = Reflect.get(value, key)
    return field
  } catch {
    return undefined
  }
}

const describe = (value: unknown): string => {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/**
 * A copy of a transport failure's `cause` that cannot carry the key: an `Error` becomes a plain `Error` with the
 * same `name`, the scrubbed `message` and `stack`, the string or number fields of a system error (`code`, `errno`,
 * `syscall`, `address`, `port`, `hostname`, strings scrubbed), and its own `cause` and `AggregateError` members
 * scrubbed the same way (5 levels, 10 members). A string is scrubbed; any other value becomes an `Error` whose
 * message is the scrubbed `String(value)`. Nothing of the original is kept by reference, so printing the copy at any
 * depth (`util.inspect`, `console.log`, `JSON.stringify`, `Cause.pretty`) shows no key.
 *
 * @internal
 */
export const scrubCause = (cause: unknown, scrub: (text: string) => string, depth = 0): unknown => {
  if (cause === undefined || cause === null || typeof cause === "number" || typeof cause === "boolean") return cause
  if (typeof cause === "string") return scrub(cause)
  if (!(cause instanceof Error)) return new Error(scrub(describe(cause)))
  const message = read(cause, "message")
  const copy = new Error(scrub(typeof message === "string" ? message : describe(message)))
  const name = read(cause, "name")
  Object.defineProperty(copy, "name", {
    value: scrub(typeof name === "string" ? name : "Error"),
    writable: true,
    configurable: true
  })
  const stack = read(cause, "stack")
  copy.stack = typeof stack === "string" ? scrub(stack) : `${copy.name}: ${copy.message}`
  const fields: Record<string, unknown> = {}
  for (const field of copiedFields) {
    const value = Object.hasOwn(cause, field) ? read(cause, field) : undefined
    if (typeof value === "string") fields[field] = scrub(value)
    else if (typeof value === "number") fields[field] = value
  }
  const inner = read(cause, "cause")
  if (depth < 5 && inner !== undefined) copy.cause = scrubCause(inner, scrub, depth + 1)
  const members = cause instanceof AggregateError ? read(cause, "errors") : undefined
  if (depth < 5 && Array.isArray(members)) {
    fields["errors"] = members.slice(0, 10).map((member: unknown) => scrubCause(member, scrub, depth + 1))
  }
  return Object.assign(copy, fields)
}

/**
 * Longer than any match of a key `ClerkClient` accepts (256 characters; the longest form, hex, is 512) unless the
 * server slips dozens of invisible characters between each two of its characters: scrubbing the first
 * `max + scrubWindow` characters of a text and keeping the first `max` then gives what scrubbing all of it would,
 * as a match starting before `max` ends inside the window.
 */
const scrubWindow = 32 * 1024

/**
 * The first `max` characters of `text`, scrubbed, as an excerpt (`…` when cut), scrubbing only the start of a long
 * text: the scrubber's pattern costs up to ~a key length of steps per character for pathological keys
 * (`sk_test_aaa…ab` over `aaaa…`), so scrubbing a 4 MB body whole could take seconds.
 *
 * @internal
 */
export const scrubbedExcerpt = (scrub: (text: string) => string, text: string, max = 1024): string => {
  if (text.length <= max + scrubWindow) {
    const all = scrub(text)
    return all.length <= max ? all : `${all.slice(0, max)}…`
  }
  return `${scrub(text.slice(0, max + scrubWindow)).slice(0, max)}…`
}

/** How deep `scrubJson` goes; a deeper value is replaced, not walked (a hostile body may nest 100,000 levels). */
const maxJsonDepth = 32

/**
 * A parsed JSON value with every string scrubbed: object keys and values, array items, nested to 32 levels (a value
 * deeper down becomes the string `<too deeply nested>`). Each string is kept to 4096 characters and all of them to
 * 64 KiB (later strings become `…`), which bounds the scrubbing work whatever the body's size. Scrubbing the raw text is not enough: `JSON.parse` turns
 * `\u` escapes and `\"` back into the key's characters, so the decoded strings are scrubbed after parsing.
 *
 * @internal
 */
export const scrubJson = (value: unknown, scrub: (text: string) => string): unknown =>
  scrubValue(value, scrub, 0, { left: jsonBudget })

/** Each string of a parsed body is kept to this many characters (`…` after), and all of them to `jsonBudget`. */
const maxJsonString = 4096
const jsonBudget = 64 * 1024

const scrubString = (text: string, scrub: (text: string) => string, budget: { left: number }): string => {
  if (budget.left <= 0) return "…"
  const max = Math.min(maxJsonString, budget.left)
  budget.left -= Math.min(text.length, max)
  return scrubbedExcerpt(scrub, text, max)
}

const scrubValue = (
  value: unknown,
  scrub: (text: string) => string,
  depth: number,
  budget: { left: number }
): unknown => {
  if (typeof value === "string") return scrubString(value, scrub, budget)
  if (typeof value !== "object" || value === null) return value
  if (depth >= maxJsonDepth) return "<too deeply nested>"
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, scrub, depth + 1, budget))
  // `Object.fromEntries` defines own properties, so a `__proto__` key stays a plain key
  return Object.fromEntries(
    Object.entries(value).map((
      [key, item]
    ) => [scrubString(key, scrub, budget), scrubValue(item, scrub, depth + 1, budget)])
  )
}
