// Which schedule page a path under /schedules shows; app.tsx asks here first.
import type { ReactNode } from "react";
import { useUser } from "../session";
import { AdminsOnlyPage } from "./not-allowed";
import { FairnessPage } from "./schedule-fairness";
import { FollowTheSunPage } from "./schedule-follow-the-sun";
import { SchedulePage } from "./schedule-page";
import { RotationEditorPage } from "./schedule-rotation-editor";
import { SchedulesPage } from "./schedules";
import { TradesPage } from "./schedules-trades";

function AdminOnly({ children }: { children: ReactNode }) {
  return useUser().role === "admin" ? <>{children}</> : <AdminsOnlyPage />;
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
      <AdminOnly>
        <FollowTheSunPage key={id} scheduleRef={id} />
      </AdminOnly>
    );
  if (section === "layers" && layerId)
    return (
      <AdminOnly>
        <RotationEditorPage
          key={`${id}/${layerId}`}
          scheduleRef={id}
          layerId={layerId === "new" ? undefined : layerId}
        />
      </AdminOnly>
    );
  return null;
}
