/**
 * Writing the server's answer on a node:http response: the outcome of a request (a Web `Response`, or dropping
 * the connection), a fresh 500 for an internal failure, and a last resort so nothing thrown while answering can
 * escape into the process (an unhandled rejection would end the CLI).
 *
 * @internal
 */
import * as Exit from "effect/Exit"
import type * as http from "node:http"

/** @internal */
export type Outcome =
  | { readonly _tag: "Response"; readonly response: Response; readonly close?: boolean }
  | { readonly _tag: "Drop" }

const internalErrorBody = JSON.stringify({
  errors: [{
    code: "internal_error",
    message: "emulator failure",
    long_message: "The emulator failed on this request."
  }]
})

/**
 * A fresh 500 per failure: a `Response` body can be read once, so one shared `Response` would fail the second time.
 *
 * @internal
 */
export const internalError = (): Response =>
  new Response(internalErrorBody, { status: 500, headers: { "content-type": "application/json" } })

/** Writes an outcome; `close` (or a server shutting down) ends the connection once the answer is flushed. */
const write = async (req: http.IncomingMessage, res: http.ServerResponse, outcome: Outcome, closing: boolean) => {
  if (outcome._tag === "Drop") {
    req.socket.destroy()
    return
  }
  const payload = Buffer.from(await outcome.response.arrayBuffer())
  const headers: Record<string, string> = {}
  outcome.response.headers.forEach((value, key) => (headers[key] = value))
  headers["content-length"] = String(payload.length)
  const close = outcome.close === true || closing
  if (close) headers["connection"] = "close"
  if (outcome.close === true) res.once("finish", () => req.socket.destroy())
  res.writeHead(outcome.response.status, headers)
  res.end(payload)
}

/** Whatever failed while answering: a plain 500 if nothing was sent yet, else the connection is cut. */
const lastResort = (req: http.IncomingMessage, res: http.ServerResponse) => {
  try {
    if (res.headersSent) {
      req.socket.destroy()
      return
    }
    const payload = Buffer.from(internalErrorBody)
    res.writeHead(500, {
      "content-type": "application/json",
      "content-length": String(payload.length),
      connection: "close"
    })
    res.end(payload)
  } catch {
    req.socket.destroy()
  }
}

/**
 * Answers a request from the exit of its dispatch: its outcome, a fresh 500 when it failed or died, and never a
 * rejection (the returned promise always resolves).
 *
 * @internal
 */
export const respond = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  exit: Promise<Exit.Exit<Outcome>>,
  closing: () => boolean
): Promise<void> =>
  exit
    .then((exit) =>
      write(req, res, Exit.isSuccess(exit) ? exit.value : { _tag: "Response", response: internalError() }, closing())
    )
    .catch(() => lastResort(req, res))
