import type { Kysely, Migration } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";
import * as m0001 from "./0001-foundation.js";
import * as m0002 from "./0002-alerting.js";
import * as m0003 from "./0003-schedules.js";
import * as m0004 from "./0004-ingest-fast-path.js";
import * as m0005 from "./0005-incident-response.js";
import * as m0006 from "./0006-status-pages.js";
import * as m0007 from "./0007-urgent-jobs.js";
import * as m0008 from "./0008-archived-configuration.js";
import * as m0009 from "./0009-user-phone.js";
import * as m0010 from "./0010-unique-policy-names.js";
import * as m0011 from "./0011-users-disabled-index.js";
import * as m0012 from "./0012-firing-alert-dedup-per-integration.js";

interface NumberedMigration {
  up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void>;
}

/** Numbered, forward-only. Append; never edit one that has shipped. */
const MIGRATIONS: Record<string, NumberedMigration> = {
  "0001-foundation": m0001,
  "0002-alerting": m0002,
  "0003-schedules": m0003,
  "0004-ingest-fast-path": m0004,
  "0005-incident-response": m0005,
  "0006-status-pages": m0006,
  "0007-urgent-jobs": m0007,
  "0008-archived-configuration": m0008,
  "0009-user-phone": m0009,
  "0010-unique-policy-names": m0010,
  "0011-users-disabled-index": m0011,
  "0012-firing-alert-dedup-per-integration": m0012,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

export function migrationsFor(caps: DialectCapabilities): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, caps) }]),
  );
}
