import type { Kysely, Selectable } from "kysely";
import type { EscalationPolicyRepository } from "../../app/ports/alerting-store.js";
import type { EscalationPolicy, EscalationStep } from "../../core/escalation/policy.js";
import type { Database, EscalationPoliciesTable } from "../schema.js";
import { fromMs, toMs } from "./instants.js";
import { fromJsonText, toJsonText } from "./json.js";

const toPolicy = (row: Selectable<EscalationPoliciesTable>): EscalationPolicy => ({
  id: row.id,
  name: row.name,
  steps: fromJsonText<EscalationStep[]>(row.steps_json),
  repeatCount: Number(row.repeat_count),
  updatedAt: fromMs(row.updated_at),
});

const mutableColumns = (p: EscalationPolicy) => ({
  name: p.name,
  steps_json: toJsonText(p.steps),
  repeat_count: p.repeatCount,
  updated_at: toMs(p.updatedAt),
});

export function escalationPolicyRepository(db: Kysely<Database>): EscalationPolicyRepository {
  return {
    async insert(p) {
      await db
        .insertInto("escalation_policies")
        .values({ id: p.id, ...mutableColumns(p) })
        .execute();
    },
    async update(p) {
      await db.updateTable("escalation_policies").set(mutableColumns(p)).where("id", "=", p.id).execute();
    },
    async findById(id) {
      const row = await db
        .selectFrom("escalation_policies")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row && toPolicy(row);
    },
    async findByName(name) {
      const row = await db
        .selectFrom("escalation_policies")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirst();
      return row && toPolicy(row);
    },
    async delete(id) {
      const result = await db.deleteFrom("escalation_policies").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await db
        .selectFrom("escalation_policies")
        .selectAll()
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(toPolicy);
    },
  };
}
