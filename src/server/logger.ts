import pino, { type Logger as PinoLogger } from "pino";
import { secretFreeUrl } from "../http/secret-free-url.js";
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
          url: req.url === undefined ? undefined : secretFreeUrl(req.url),
          remoteAddress: req.ip,
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
