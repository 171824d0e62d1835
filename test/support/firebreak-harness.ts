import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiKey } from "../../src/app/api-keys/create-api-key.js";
import type { Clock } from "../../src/app/ports/clock.js";
import type { NotificationSender } from "../../src/app/ports/notifications.js";
import { createUser } from "../../src/app/users/create-user.js";
import { systemActor } from "../../src/core/auth/actor.js";
import type { Role } from "../../src/core/auth/roles.js";
import type { Api } from "../../src/http/api-instance.js";
import { loadConfig } from "../../src/server/config.js";
import { startFirebreak, type RunningFirebreak } from "../../src/server/firebreak.js";
import { createLogger } from "../../src/server/logger.js";
import { createFreshDatabase, type DialectName, type FreshDatabase } from "./dialects.js";

export interface TestFirebreak {
  readonly running: RunningFirebreak;
  readonly http: Api;
  /** Set when started with `listen: true`: http://127.0.0.1:PORT */
  readonly baseUrl: string | undefined;
  /** Creates an API key directly through the app and returns the token. */
  apiKey(role: Role): Promise<string>;
  /** Creates a user with a password through the app. */
  user(role: Role, email?: string): Promise<{ id: string; email: string; password: string }>;
  /** Signs in over HTTP and returns the cookie header value and CSRF token. */
  signIn(email: string, password: string): Promise<{ cookie: string; csrfToken: string }>;
  close(): Promise<void>;
}

let userCounter = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A whole Firebreak (store, engine, HTTP) on a fresh database, for in-process and browser tests. */
export async function startTestFirebreak(
  options: {
    dialect?: DialectName;
    env?: Record<string, string>;
    listen?: boolean;
    clock?: Clock;
    /** False: the engine does not run by itself; call `fb.runner.runDueOnce()`. */
    startEngine?: boolean;
    sender?: NotificationSender;
    /** Rewrites the fresh PostgreSQL database's URL (to go through a proxy, say). */
    databaseUrl?: (url: string) => string;
  } = {},
): Promise<TestFirebreak> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-harness-"));
  let fresh: FreshDatabase | undefined;
  const env: Record<string, string> = {
    FIREBREAK_DATA_DIR: dataDir,
    FIREBREAK_PORT: "0",
    // An engine-role server listens on its own port: any free one, never the fixed default.
    FIREBREAK_ENGINE_PORT: "0",
    FIREBREAK_LOG_LEVEL: "silent",
    FIREBREAK_SQLITE_SYNCHRONOUS: "normal",
    // A listening test server closes at once; the drain has its own test.
    FIREBREAK_SHUTDOWN_DRAIN_MS: "0",
    ...options.env,
  };
  if (options.listen === true && !options.env?.FIREBREAK_PORT) {
    // Links in messages and integration URLs need the real address, so pick the port up front.
    const port = await freePort();
    env.FIREBREAK_PORT = String(port);
    env.FIREBREAK_PUBLIC_URL ??= `http://127.0.0.1:${port}`;
  }
  if (options.dialect === "postgres") {
    fresh = await createFreshDatabase("postgres", { migrate: false });
    await fresh.handle.close();
    if (fresh.location.kind === "postgres")
      env.FIREBREAK_DATABASE_URL = options.databaseUrl?.(fresh.location.url) ?? fresh.location.url;
  }
  const config = loadConfig(env);
  const running = await startFirebreak(config, {
    logger: createLogger({ logLevel: "silent" }),
    listen: options.listen === true,
    ...(options.startEngine !== undefined && { startEngine: options.startEngine }),
    ...(options.sender && { sender: options.sender }),
    ...(options.clock && { clock: options.clock }),
  });
  const http = running.http as Api;
  const system = { actor: systemActor("test"), requestId: null };
  const baseUrl = running.address?.replace("[::1]", "127.0.0.1");

  return {
    running,
    http,
    baseUrl,
    async apiKey(role) {
      return (await createApiKey(running.deps, system, { name: `test ${role} key`, role })).token;
    },
    async user(role, email) {
      const password = "correct horse battery staple";
      const address = email ?? `user${++userCounter}-${role}@example.com`;
      const created = await createUser(running.deps, system, {
        email: address,
        name: `Test ${role}`,
        role,
        password,
      });
      return { id: created.id, email: address, password };
    },
    async signIn(email, password) {
      const res = await http.inject({
        method: "POST",
        url: "/api/v1/auth/sign-in",
        payload: { email, password },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === "firebreak_session");
      if (!cookie) throw new Error("sign-in set no session cookie");
      return {
        cookie: `firebreak_session=${cookie.value}`,
        csrfToken: (res.json() as { csrfToken: string }).csrfToken,
      };
    },
    async close() {
      await running.stop();
      await fresh?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
