/**
 * The server's last line: an internal failure is answered with a 500 every time (a fresh body each time), and
 * nothing thrown while answering escapes (an unhandled rejection would end the CLI process).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { type Outcome, respond } from "../src/internal/answer.js"

/** A node:http server answering every request with `exit` through `respond`, as `EmulatorServer.serve` does. */
const withServer = <A>(exit: () => Promise<Exit.Exit<Outcome>>, use: (port: number) => Promise<A>) =>
  Effect.promise(async () => {
    const rejections: Array<unknown> = []
    const onRejection = (reason: unknown) => rejections.push(reason)
    process.on("unhandledRejection", onRejection)
    const server = http.createServer((req, res) => void respond(req, res, exit(), () => false))
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const result = await use((server.address() as AddressInfo).port)
      return { result, rejections }
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      process.off("unhandledRejection", onRejection)
    }
  })

const get = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v1/users`).then(async (r) => ({ status: r.status, body: await r.json() }))

describe("EmulatorServer: internal failures", () => {
  it.live("two defects in a row: two 500s in Clerk's envelope, and the server still answers", () =>
    Effect.gen(function*() {
      const { rejections, result } = yield* withServer(
        () => Effect.runPromiseExit(Effect.die(new Error("boom"))),
        async (port) => [await get(port), await get(port), await get(port)]
      )
      expect(result.map((r) => r.status)).toEqual([500, 500, 500])
      for (const r of result) expect(r.body.errors[0].code).toBe("internal_error")
      expect(rejections).toEqual([])
    }))

  it.live("a Response whose body cannot be read: a 500, not a crash", () =>
    Effect.gen(function*() {
      const used = new Response("{}")
      yield* Effect.promise(() => used.text())
      const { rejections, result } = yield* withServer(
        () => Promise.resolve(Exit.succeed<Outcome>({ _tag: "Response", response: used })),
        async (port) => [await get(port), await get(port)]
      )
      expect(result.map((r) => r.status)).toEqual([500, 500])
      expect(rejections).toEqual([])
    }))
})
