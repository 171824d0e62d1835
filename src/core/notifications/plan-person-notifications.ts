/** A person's rule: reach them through this contact method this long after they are paged. */
export interface NotificationRule {
  readonly contactMethodId: string;
  readonly delayMinutes: number;
}

export interface PlannedNotification {
  readonly contactMethodId: string;
  readonly at: Date;
}

/**
 * When to reach a paged person, and how. Without rules every contact method is used at once: a person
 * who set nothing up is still reached. Rules naming a removed contact method are skipped.
 */
export function planPersonNotifications(
  rules: readonly NotificationRule[],
  contactMethodIds: readonly string[],
  pagedAt: Date,
): PlannedNotification[] {
  const known = new Set(contactMethodIds);
  const planned =
    rules.length === 0
      ? contactMethodIds.map((contactMethodId) => ({ contactMethodId, delayMinutes: 0 }))
      : rules.filter((rule) => known.has(rule.contactMethodId));
  const seen = new Set<string>();
  return planned
    .map((r) => ({
      contactMethodId: r.contactMethodId,
      at: new Date(pagedAt.getTime() + r.delayMinutes * 60_000),
    }))
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .filter((p) => {
      const key = `${p.contactMethodId}@${p.at.getTime()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
