import * as Redacted from "effect/Redacted"

const bearer = /Bearer\s+[^\s"'\\,;]*/gi
const anyClerkKey = /sk_(?:test|live)_[A-Za-z0-9_-]+/g

/**
 * A function that removes the secret key from text a server sent (a body, a header value), before the text goes
 * into an error message or excerpt: every `Bearer …` value, every Clerk secret key (`sk_test_…`, `sk_live_…`), and
 * every occurrence of this key's own characters, with or without its prefix. Each becomes `<redacted>`.
 *
 * @internal
 */
export const scrubber = (secretKey: Redacted.Redacted<string> | undefined): (text: string) => string => {
  const secret = secretKey === undefined ? "" : Redacted.value(secretKey)
  const body = secret.replace(/^sk_(?:test|live)_/, "")
  const needles = [secret, body].filter((needle) => needle.length >= 8)
  return (text) => {
    let out = text
    for (const needle of needles) out = out.split(needle).join("<redacted>")
    return out.replace(bearer, "<redacted>").replace(anyClerkKey, "<redacted>")
  }
}
