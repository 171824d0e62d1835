// Which schedule page a path under /schedules shows; app.tsx asks here first.
import type { ReactNode } from "react";
import { useLoad } from "../data";
import { schedules } from "../schedules-api";
import { useManagesSomeTeam, useMayManageTeam, useUser } from "../session";
import { LoadState } from "../widgets";
import { AdminsOnlyPage } from "./not-allowed";
import { FairnessPage } from "./schedule-fairness";
import { FollowTheSunPage } from "./schedule-follow-the-sun";
import { SchedulePage } from "./schedule-page";
import { RotationEditorPage } from "./schedule-rotation-editor";
import { SchedulesPage } from "./schedules";
import { TradesPage } from "./schedules-trades";

/**
 * The pages that change a schedule's layers: admins, and the managers of the schedule's team (the
 * server checks again). Only a manager's answer waits for the schedule, to learn its team.
 */
function ScheduleEditorsOnly({ scheduleRef, children }: { scheduleRef: string; children: ReactNode }) {
  const isAdmin = useUser().role === "admin";
  const managesSomeTeam = useManagesSomeTeam();
  const mayManageTeam = useMayManageTeam();
  // Loaded once, before the user's teams may be known: only an admin surely needs no team.
  const schedule = useLoad(() => (isAdmin ? Promise.resolve(undefined) : schedules.get(scheduleRef)));
  if (isAdmin) return <>{children}</>;
  if (managesSomeTeam === undefined) return <p role="status">Loading your teams…</p>;
  if (!managesSomeTeam) return <AdminsOnlyPage orTeamManagers />;
  // A schedule that fails to load is the page's to explain; it fails the same way there.
  if (schedule.error) return <>{children}</>;
  if (!schedule.data) return <LoadState what="the schedule" loading />;
  return mayManageTeam(schedule.data.teamId) ? <>{children}</> : <AdminsOnlyPage orTeamManagers />;
}

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** The page for `path`, or null when it is not a schedules path. */
export function scheduleRoute(path: string): ReactNode {
  const [, first, id, section, layerId, ...rest] = path.split("/").map(decode);
  if (first !== "schedules" || rest.length > 0) return null;
  if (!id) return <SchedulesPage />;
  if (id === "trades" && !section) return <TradesPage />;
  if (!section) return <SchedulePage key={id} scheduleRef={id} />;
  if (section === "fairness" && !layerId) return <FairnessPage key={id} scheduleRef={id} />;
  if (section === "follow-the-sun" && !layerId)
    return (
      <ScheduleEditorsOnly key={id} scheduleRef={id}>
        <FollowTheSunPage scheduleRef={id} />
      </ScheduleEditorsOnly>
    );
  if (section === "layers" && layerId)
    return (
      <ScheduleEditorsOnly key={`${id}/${layerId}`} scheduleRef={id}>
        <RotationEditorPage scheduleRef={id} layerId={layerId === "new" ? undefined : layerId} />
      </ScheduleEditorsOnly>
    );
  return null;
}
