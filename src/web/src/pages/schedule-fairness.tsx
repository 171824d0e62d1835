// /schedules/:id/fairness: over a range of days, each person's shifts, weekend shifts, hours on
// call, night hours (in their own zone), weekend and holiday hours; and the payroll CSV export.
import { useEffect, useState, type FormEvent } from "react";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { Field, FormError, TextAreaField } from "../forms";
import { Page } from "../layout";
import { Link } from "../router";
import {
  schedules,
  type FairnessHoliday,
  type FairnessReport,
  type FairnessRow,
  type Spread,
} from "../schedules-api";
import { LoadState } from "../widgets";
import { addDays, instantOfLocal, localText } from "./schedule-time";
import { personStyle } from "./schedule-timeline";
import { SchedulesNav } from "./schedules";
import "../schedules.css";

const DEFAULT_DAYS = 90;
const MAX_HOLIDAYS = 100;
const HOLIDAY_LINE = /^(\d{4})-(\d{2})-(\d{2})(?:\s+(.+))?$/;

/** "2026-12-25 Christmas Day" per line (the name is optional) into holidays, or the first bad line. */
export function parseHolidayLines(text: string): { holidays: FairnessHoliday[] } | { error: string } {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (lines.length > MAX_HOLIDAYS) return { error: `at most ${MAX_HOLIDAYS} holidays` };
  const holidays: FairnessHoliday[] = [];
  for (const line of lines) {
    const match = HOLIDAY_LINE.exec(line);
    const [year, month, day] = (match?.slice(1, 4) ?? []).map(Number) as [number, number, number];
    const real =
      match && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12;
    if (!match || !real) return { error: `“${line}” is not a real date “YYYY-MM-DD” and an optional name` };
    const date = line.slice(0, 10);
    const name = match[4]?.trim() || date;
    if (name.length > 200) return { error: `“${date}”: the name must be at most 200 characters` };
    holidays.push({ date, name });
  }
  return { holidays };
}

const hours = (n: number) =>
  (Math.round(n * 10) / 10).toLocaleString(undefined, { maximumFractionDigits: 1 });

const COLUMNS: Array<{ key: keyof FairnessRow; label: string; format(n: number): string }> = [
  { key: "shiftCount", label: "Shifts", format: String },
  { key: "weekendShiftCount", label: "Weekend shifts", format: String },
  { key: "hoursOnCall", label: "Hours on call", format: hours },
  { key: "nightHours", label: "Night hours", format: hours },
  { key: "weekendHours", label: "Weekend hours", format: hours },
  { key: "holidayHours", label: "Holiday hours", format: hours },
];

const SPREAD_LABEL = {
  hoursOnCall: "Hours on call",
  nightHours: "Night hours",
  weekendHours: "Weekend hours",
};

/** Whether the load is even: the verdict, then how far apart the most and least loaded are. */
function Verdict({ report }: { report: FairnessReport }) {
  const spreads = Object.entries(report.spread ?? {}) as Array<[keyof typeof SPREAD_LABEL, Spread]>;
  return (
    <>
      {report.fair !== undefined && (
        <div className={report.fair ? "notice notice-success" : "notice notice-warning"}>
          <p>
            {report.fair
              ? "Fair: hours on call, at night and at weekends are spread evenly (each varies by at most a quarter of the average)."
              : "Uneven: hours on call, at night or at weekends vary by more than a quarter of the average. Consider reordering members, or a separate weekend rotation."}
          </p>
        </div>
      )}
      {spreads.length > 0 && (
        <dl className="details">
          {spreads.map(([key, spread]) => (
            <div key={key} className="details-pair">
              <dt>{SPREAD_LABEL[key] ?? key}</dt>
              <dd>
                from {hours(spread.min)} to {hours(spread.max)} (a difference of {hours(spread.range)})
              </dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}

export function FairnessPage({ scheduleRef }: { scheduleRef: string }) {
  const schedule = useLoad(() => schedules.get(scheduleRef));
  const s = schedule.data;
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [range, setRange] = useState<{ start: string; end: string }>();
  const [holidayText, setHolidayText] = useState("");
  const [holidays, setHolidays] = useState<FairnessHoliday[]>([]);
  const [holidayError, setHolidayError] = useState<string>();
  const [report, setReport] = useState<FairnessReport>();
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();

  // Once the schedule (and so its zone) is known: the next 90 days from today there.
  useEffect(() => {
    if (!s || from) return;
    const today = localText(Date.now(), s.timeZone).slice(0, 10);
    setFrom(today);
    setTo(addDays(today, DEFAULT_DAYS));
    setRange(rangeOf(today, addDays(today, DEFAULT_DAYS), s.timeZone));
  }, [s, from]);

  useEffect(() => {
    if (!range) return;
    let alive = true;
    setError(undefined);
    schedules.fairness(scheduleRef, range.start, range.end, holidays).then(
      (r) => alive && setReport(r),
      (err: unknown) => {
        if (!alive) return;
        setReport(undefined);
        setError(`Could not make the report: ${messageOf(err)}`);
      },
    );
    return () => {
      alive = false;
    };
  }, [scheduleRef, range, holidays]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!s) return;
    const rangeOk = Boolean(from && to && to > from);
    const parsed = parseHolidayLines(holidayText);
    setFieldError(rangeOk ? undefined : "must be after the first day");
    setHolidayError("error" in parsed ? parsed.error : undefined);
    if (!rangeOk || "error" in parsed) return;
    setRange(rangeOf(from, to, s.timeZone));
    setHolidays(parsed.holidays);
  };

  const base = s ? `/schedules/${encodeURIComponent(s.id)}` : "/schedules";
  const people = [...(report?.people ?? [])].sort((a, b) => b.hoursOnCall - a.hoursOnCall);

  return (
    <Page
      heading={s ? `Fairness: ${s.name}` : "Fairness report"}
      title="Fairness report · Schedules"
      eyebrow={s ? <Link to={base}>{s.name}</Link> : <Link to="/schedules">Schedules</Link>}
      lead="How the load falls on each person. Night hours (22:00 to 07:00) and weekends are counted in each person’s own time zone, set on My account."
    >
      <SchedulesNav />
      <LoadState what="the schedule" loading={schedule.loading && !s} error={schedule.error} />
      {s && (
        <section className="panel" aria-labelledby="fairness-range">
          <h2 id="fairness-range">Range</h2>
          <form className="form-inline" onSubmit={submit} noValidate>
            <Field
              label="From"
              type="date"
              value={from}
              onChange={(e) => {
                setFrom(e.target.value);
                setFieldError(undefined);
              }}
            />
            <Field
              label="To"
              type="date"
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                setFieldError(undefined);
              }}
              error={fieldError}
              hint={`Days in ${s.timeZone}; the last day is not included.`}
            />
            <TextAreaField
              label="Holidays"
              rows={3}
              value={holidayText}
              onChange={(e) => {
                setHolidayText(e.target.value);
                setHolidayError(undefined);
              }}
              error={holidayError}
              placeholder="2026-12-25 Christmas Day"
              hint={`One per line: a date, then a name. Whole days in ${s.timeZone}.`}
            />
            <button type="submit" className="button button-primary">
              Show report
            </button>
          </form>
          {range && (
            <p>
              <a href={schedules.csvUrl(s.id, range.start, range.end)} download>
                Download these shifts (CSV)
              </a>{" "}
              <span className="muted">for payroll.</span>
            </p>
          )}
        </section>
      )}
      <FormError message={error} />
      {report && (
        <section className="panel" aria-labelledby="fairness-table">
          <h2 id="fairness-table">Per person</h2>
          {people.length === 0 ? (
            <p className="empty">Nobody is on call in this range.</p>
          ) : (
            <div className="table-scroll">
              <table className="table fairness">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    {COLUMNS.map((c) => (
                      <th key={c.key} scope="col" className="num">
                        {c.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {people.map((row) => (
                    <tr key={row.userId}>
                      <th scope="row">
                        <span className="person-dot" style={personStyle(row.userId)} aria-hidden="true" />
                        {row.userName ?? row.userId}
                        {row.timeZoneAssumed && (
                          <span className="muted fairness-zone">
                            {" "}
                            (no time zone set: the schedule’s is used)
                          </span>
                        )}
                        {row.holidayNames && row.holidayNames.length > 0 && (
                          <span className="muted fairness-zone">
                            {" "}
                            Holidays: {row.holidayNames.join(", ")}
                          </span>
                        )}
                      </th>
                      {COLUMNS.map((c) => (
                        <td key={c.key} data-label={c.label} className="num">
                          {c.format(Number(row[c.key] ?? 0))}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
                {report.totals && people.length > 1 && (
                  <tfoot>
                    <tr>
                      <th scope="row">Everyone</th>
                      {COLUMNS.map((c) => (
                        <td key={c.key} data-label={c.label} className="num">
                          {c.format(Number((report.totals as Record<string, unknown>)[c.key] ?? 0))}
                        </td>
                      ))}
                    </tr>
                  </tfoot>
                )}
              </table>
            </div>
          )}
          {report.holidays && report.holidays.length > 0 && (
            <p className="muted">
              Holidays counted: {report.holidays.map((h) => `${h.date} ${h.name}`).join("; ")}.
            </p>
          )}
          <Verdict report={report} />
        </section>
      )}
    </Page>
  );
}

function rangeOf(from: string, to: string, zone: string) {
  return {
    start: new Date(instantOfLocal(`${from}T00:00`, zone)).toISOString(),
    end: new Date(instantOfLocal(`${to}T00:00`, zone)).toISOString(),
  };
}
