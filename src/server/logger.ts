import pino, { type Logger as PinoLogger } from "pino";
import type { Config } from "./config.js";

/** Paths that could hold a secret in any log line; pino replaces them with `<secret>`. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-csrf-token']",
  "res.headers['set-cookie']",
  "password",
  "*.password",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "databaseUrl",
  "*.databaseUrl",
];

// Secret-bearing query parameters (calendar and sign-in tokens) are cut from logged URLs, and so are
// integration keys, signed links and calendar feed tokens in paths.
const SECRET_QUERY = /([?&](?:token|key|secret|api_key)=)[^&#]*/gi;
const SECRET_PATH = /(\/(?:integrations\/[^/?#]+|int|heartbeat|actions|calendars)\/)[^/?#]+/gi;

export function createLogger(
  config: Pick<Config, "logLevel">,
  destination?: pino.DestinationStream,
): PinoLogger {
  return pino(
    {
      level: config.logLevel,
      base: { service: "firebreak", pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: "<secret>" },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.replace(SECRET_QUERY, "$1<secret>").replace(SECRET_PATH, "$1<secret>"),
          remoteAddress: req.ip,
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
