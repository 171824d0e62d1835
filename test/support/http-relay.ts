import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A server's address as a browser sees it, through a TCP relay that can go down (every connection
 * cut, new ones refused, as when the server stops) and come back on the same port.
 */
export interface HttpRelay {
  /** http://127.0.0.1:PORT, the relay's own port. */
  readonly url: string;
  /** Cuts every connection and refuses new ones; also how the relay is shut at the end. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
}

export async function startHttpRelay(target: string): Promise<HttpRelay> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const relay = createServer((client) => {
        const upstream = connect(Number(targetPort), hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("error", () => socket.destroy());
          socket.on("close", () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      relay.once("error", reject);
      relay.listen(port, "127.0.0.1", () => resolve((relay.address() as AddressInfo).port));
      server = relay;
    });
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}`,
    async down() {
      const closed = new Promise<void>((resolve) =>
        server?.listening ? server.close(() => resolve()) : resolve(),
      );
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async up() {
      await listen(port);
    },
  };
}
