import { sql, type Kysely } from "kysely";
import type { DialectCapabilities } from "../capabilities.js";

/** The longest name a policy may have (core/escalation/policy.ts): a renamed one stays editable. */
const MAX_NAME_LENGTH = 200;

interface PolicyRow {
  readonly id: string;
  readonly name: string;
  /** When it was made: its first audit entry, else its last change (no created_at column). */
  readonly madeAt: number;
}

/**
 * Escalation-policy names were unique only by a check in code, which two creates at once on
 * PostgreSQL could both pass. Duplicates are renamed first, the oldest keeping the name and later
 * ones getting " (2)", " (3)", …; then a unique index on the plain column holds the rule, since the
 * code compares names exactly (case and all), as the index does.
 */
export async function up(db: Kysely<unknown>, _caps: DialectCapabilities): Promise<void> {
  const { rows } = await sql<{ id: string; name: string; made_at: number | string }>`
    select p.id, p.name, coalesce(min(a.at), p.updated_at) as made_at
    from escalation_policies p
    left join audit_log a on a.entity_type = 'escalation_policy' and a.entity_id = p.id
    group by p.id, p.name, p.updated_at`.execute(db);
  const renames = renamesForDuplicates(
    rows.map((r) => ({ id: r.id, name: r.name, madeAt: Number(r.made_at) })),
  );
  for (const { id, name } of renames)
    await sql`update escalation_policies set name = ${name} where id = ${id}`.execute(db);
  await sql`create unique index escalation_policies_name on escalation_policies (name)`.execute(db);
}

/**
 * New names for every policy but the oldest of each name (ties by id), avoiding every name in use.
 * Kept here, not in core: a shipped migration must do the same thing forever.
 */
function renamesForDuplicates(policies: readonly PolicyRow[]): { id: string; name: string }[] {
  const byName = new Map<string, PolicyRow[]>();
  for (const p of policies) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const taken = new Set(byName.keys());
  const renames: { id: string; name: string }[] = [];
  for (const name of [...byName.keys()].sort()) {
    const holders = byName.get(name)!.sort((a, b) => a.madeAt - b.madeAt || (a.id < b.id ? -1 : 1));
    let n = 2;
    for (const later of holders.slice(1)) {
      let candidate = numbered(name, n);
      while (taken.has(candidate)) candidate = numbered(name, ++n);
      taken.add(candidate);
      renames.push({ id: later.id, name: candidate });
    }
  }
  return renames;
}

/** "Ops (2)", shortening a long name so the result still fits MAX_NAME_LENGTH. */
function numbered(name: string, n: number): string {
  const suffix = ` (${n})`;
  let base = name.slice(0, MAX_NAME_LENGTH - suffix.length);
  // Never end on half of a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(base)) base = base.slice(0, -1);
  return `${base.trimEnd()}${suffix}`;
}
