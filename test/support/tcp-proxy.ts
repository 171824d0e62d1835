import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, say) that a test can take down
 * and bring back: down, it resets every open connection and every new one, as a restarting or
 * unreachable database does to its clients. Paused, it is a black hole: a server that hangs, or a
 * host that vanished without a reset.
 */
export interface TcpProxy {
  readonly port: number;
  /** The same URL (a database's, say), pointing at this proxy instead. */
  through(url: string): string;
  /** Connections reset at once because the proxy was down. */
  readonly refused: number;
  /** Connections accepted while paused (held, never forwarded during the pause). */
  readonly held: number;
  down(): void;
  /** Ends an outage or a pause. */
  up(): void;
  /**
   * Open connections stop forwarding in both directions, and new ones are accepted but not
   * forwarded: nobody gets an answer, an error or a reset.
   */
  pause(): void;
  /** Ends a pause as a healed network partition does: what was held flows on, new ones forward. */
  resume(): void;
  close(): Promise<void>;
}

/** A client's connection and, once forwarded, its connection to the target. */
interface Link {
  readonly client: Socket;
  upstream?: Socket;
  /** Held by a pause: nothing flows, and the target closing it is not passed on until the pause ends. */
  held: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const links = new Set<Link>();
  let state: "up" | "down" | "paused" = "up";
  let refused = 0;
  let held = 0;
  const forward = (link: Link) => {
    if (link.client.destroyed || (link.upstream && !link.held)) return;
    link.held = false;
    if (link.upstream?.destroyed) {
      link.client.destroy();
      return;
    }
    if (!link.upstream) {
      const upstream = createConnection(target);
      upstream.on("error", () => undefined);
      upstream.on("close", () => {
        if (!link.held) link.client.destroy();
      });
      link.upstream = upstream;
    }
    link.client.pipe(link.upstream);
    link.upstream.pipe(link.client);
  };
  const hold = (link: Link) => {
    link.held = true;
    for (const socket of [link.client, link.upstream]) {
      socket?.unpipe();
      socket?.pause();
    }
  };
  const server = createServer((client) => {
    if (state === "down") {
      refused++;
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, held: false };
    links.add(link);
    client.on("error", () => undefined);
    client.on("close", () => {
      links.delete(link);
      link.upstream?.destroy();
    });
    if (state === "paused") {
      held++;
      hold(link);
    } else forward(link);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const resetAll = () => {
    for (const { client, upstream } of links) {
      client.resetAndDestroy();
      upstream?.resetAndDestroy();
    }
  };
  const port = (server.address() as AddressInfo).port;
  const up = () => {
    state = "up";
    for (const link of links) forward(link);
  };
  return {
    port,
    through: (url) => {
      const proxied = new URL(url);
      proxied.host = `127.0.0.1:${port}`;
      return proxied.toString();
    },
    get refused() {
      return refused;
    },
    get held() {
      return held;
    },
    down: () => {
      state = "down";
      resetAll();
    },
    up,
    pause: () => {
      state = "paused";
      for (const link of links) hold(link);
    },
    resume: up,
    close: () =>
      new Promise<void>((resolve) => {
        resetAll();
        server.close(() => resolve());
      }),
  };
}
