/** A loopback HTTP server for the transport tests: its URL, the requests it received, and a close that cuts
 * every open connection (so keep-alive pools cannot hold a test open). */
import * as Http from "node:http"
import type * as Net from "node:net"

export interface Server {
  readonly url: string
  /** `METHOD url` of each request received, in order. */
  readonly requests: Array<string>
  readonly close: () => Promise<void>
}

export const serve = (handler: Http.RequestListener): Promise<Server> =>
  new Promise((resolve) => {
    const requests: Array<string> = []
    const sockets = new Set<Net.Socket>()
    const server = Http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`)
      handler(req, res)
    })
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as Net.AddressInfo
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        requests,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })
