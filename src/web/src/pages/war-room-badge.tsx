// The number of open tasks I own across incidents, beside "My tasks" in the menu. Re-counted on
// each navigation; a count that cannot be had is simply not shown.
import { useEffect, useState } from "react";
import { response } from "../response-api";
import { useRouter } from "../router";

export function MyTasksBadge() {
  const { navigations } = useRouter();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    response.myTasks().then(
      (tasks) => alive && setCount(tasks.length),
      () => alive && setCount(0),
    );
    return () => {
      alive = false;
    };
  }, [navigations]);
  if (count === 0) return null;
  return (
    <span className="badge badge-warning tab-count">
      {count}
      <span className="visually-hidden"> open {count === 1 ? "task" : "tasks"} of yours</span>
    </span>
  );
}
