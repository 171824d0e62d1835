/** Structured logger (pino-shaped). Fields are redacted by the adapter; never pass secrets anyway. */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): Logger;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * A child logger made on first use: most jobs log nothing, and making a pino child (bindings
 * serialised, redaction set up) costs more than many a job's own work.
 */
export function lazyChildLogger(parent: Logger, bindings: object): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= parent.child(bindings));
  return {
    debug: (fields, message) => real().debug(fields, message),
    info: (fields, message) => real().info(fields, message),
    warn: (fields, message) => real().warn(fields, message),
    error: (fields, message) => real().error(fields, message),
    child: (more) => lazyChildLogger(real(), more),
  };
}
