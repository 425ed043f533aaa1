import type { Server, Socket } from 'node:net'

/** A test server listening on 127.0.0.1. */
export interface Listening {
  port: number
  /** Ends the open connections too, so that a stalled one does not hold the test run. */
  close: () => Promise<void>
}

/** Starts `server` on a free port of 127.0.0.1 and keeps track of its connections. */
export async function listenLocally(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address !== 'object') throw new Error('the server has no port')
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
      })
    }
  }
}
