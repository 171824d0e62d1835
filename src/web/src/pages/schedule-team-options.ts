// Which teams a schedule's settings form offers: the server's rule (app/schedules/manage-schedules.ts),
// so a manager is not offered a choice it would refuse. Pure, for the unit test beside it.

export interface TeamOption {
  value: string;
  label: string;
}

/**
 * An admin: any team, or none. A manager: the current team and the teams they manage, since moving a
 * schedule needs a manager of both teams and taking it out of every team needs an admin.
 */
export function teamOptions(
  teams: ReadonlyArray<{ id: string; name: string }>,
  current: string | null,
  isAdmin: boolean,
  mayManage: (teamId: string) => boolean,
): TeamOption[] {
  const allowed = teams.filter((t) => isAdmin || t.id === current || mayManage(t.id));
  return [
    ...(isAdmin || current === null ? [{ value: "", label: "No team" }] : []),
    ...allowed.map((t) => ({ value: t.id, label: t.name })),
  ];
}
