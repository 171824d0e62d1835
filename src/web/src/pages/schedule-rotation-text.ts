// Rotations and their restrictions in words: "Ada, Grace in turn, 1 week each, handing off at 09:00
// from Mon 23 Nov; only Mon–Fri 09:00–17:00".
import type { User } from "../api";
import type { Rotation, TimeWindow } from "../schedules-api";

export const DAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
export const DAY_LONG = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;
/** Monday first, as most calendars show the week. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

const orderOf = (day: number) => (day + 6) % 7;

/** "Mon–Fri 09:00–17:00; Sat, Sun 00:00–24:00": windows with the same hours share one clause. */
export function restrictionsText(windows: readonly TimeWindow[]): string {
  const byHours = new Map<string, number[]>();
  for (const w of windows) {
    const key = `${w.startTime}–${w.endTime}`;
    byHours.set(key, [...(byHours.get(key) ?? []), w.weekday]);
  }
  return [...byHours.entries()].map(([hours, days]) => `${daysText(days)} ${hours}`).join("; ");
}

/** "Mon–Fri", "Sat, Sun", "every day". */
function daysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => orderOf(a) - orderOf(b));
  if (sorted.length === 7) return "every day";
  const runs: number[][] = [];
  for (const d of sorted) {
    const last = runs[runs.length - 1];
    if (last && orderOf(last[last.length - 1] ?? -9) + 1 === orderOf(d)) last.push(d);
    else runs.push([d]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `${DAY_SHORT[run[0] ?? 0]}–${DAY_SHORT[run[run.length - 1] ?? 0]}`
        : run.map((d) => DAY_SHORT[d]).join(", "),
    )
    .join(", ");
}

export const nameOf = (userId: string, users: readonly User[]): string =>
  users.find((u) => u.id === userId)?.name ?? "(removed person)";

export function rotationSummary(rotation: Rotation, users: readonly User[]): string {
  const names = rotation.memberIds.map((m) => nameOf(m, users));
  const unit = rotation.shiftLength === 1 ? rotation.shiftUnit.replace(/s$/, "") : rotation.shiftUnit;
  const [date, time] = rotation.startLocal.split("T");
  const who = names.length === 1 ? names[0] : `${names.join(", ")} in turn`;
  const when = rotation.restrictions.length > 0 ? `; only ${restrictionsText(rotation.restrictions)}` : "";
  return `${who}, ${rotation.shiftLength} ${unit} each, handing off at ${time ?? ""} from ${date ?? ""}${when}.`;
}
