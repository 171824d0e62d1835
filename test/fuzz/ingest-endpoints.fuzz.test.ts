// Fuzzes every ingest endpoint on SQLite and PostgreSQL: the Alertmanager and Grafana webhooks, the
// Alertmanager API v2, PagerDuty Events v2 (both endpoints), the generic webhook and heartbeats.
// One file, so one test server per database (each file is a process of its own).
import { describeEachDialect } from "../support/dialects.js";
import { ENDPOINTS } from "./ingest-fuzz-endpoints.js";
import { itHoldsThePropertiesUnderFuzz, useIngestFuzzServer } from "./ingest-fuzz-kit.js";

describeEachDialect("ingestion endpoints under hostile input (fast-check)", (dialect) => {
  const server = useIngestFuzzServer(dialect);
  for (const endpoint of ENDPOINTS) itHoldsThePropertiesUnderFuzz(endpoint, dialect, server);
});
