// "Who is on call": 1,000 schedules of 3 layers (daily, weekly with business-hours restrictions, hourly)
// in different zones with a few overrides each, looked up at 10,000 instants across a year per
// schedule; and one schedule's final timeline for a month. Part of `npm run bench -- oncall`;
// alone: `npx tsx bench/oncall.ts [instants per schedule]`.
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { finalShifts, onCallAt } from "../src/core/schedules/final-schedule.js";
import type { Layer, Override, Schedule } from "../src/core/schedules/schedule.js";

const YEAR_START_MS = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;
const ZONES = [
  "America/New_York",
  "Europe/Berlin",
  "Australia/Sydney",
  "Asia/Kolkata",
  "America/Los_Angeles",
  "Asia/Singapore",
  "Europe/London",
  "America/Sao_Paulo",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
];

/** A deterministic generator, so every run measures the same schedules and instants. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function benchSchedule(index: number, random: () => number): Schedule {
  const members = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => `${prefix}-${index}-${i}`);
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startTime: "09:00", endTime: "17:30" }));
  const editMs = YEAR_START_MS + Math.floor(random() * YEAR_MS);
  const layers: Layer[] = [
    {
      id: "daily",
      name: "Primary (daily)",
      priority: 1,
      source: "rotation",
      versions: [
        {
          effectiveFromMs: YEAR_START_MS - 30 * 86_400_000,
          effectiveUntilMs: editMs,
          memberIds: members("d", 6),
          shiftLength: 1,
          shiftUnit: "days",
          startLocal: "2024-12-02T09:00",
          restrictions: [],
        },
        {
          effectiveFromMs: editMs,
          effectiveUntilMs: null,
          memberIds: members("d", 7),
          shiftLength: 1,
          shiftUnit: "days",
          startLocal: "2024-12-02T09:00",
          restrictions: [],
        },
      ],
    },
    {
      id: "business-hours",
      name: "Business hours (weekly)",
      priority: 3,
      source: "rotation",
      versions: [
        {
          effectiveFromMs: YEAR_START_MS - 30 * 86_400_000,
          effectiveUntilMs: null,
          memberIds: members("w", 4),
          shiftLength: 1,
          shiftUnit: "weeks",
          startLocal: "2024-12-02T10:00",
          restrictions: weekdays,
        },
      ],
    },
    {
      id: "hourly",
      name: "Backstop (8 hours)",
      priority: 0,
      source: "rotation",
      versions: [
        {
          effectiveFromMs: YEAR_START_MS - 30 * 86_400_000,
          effectiveUntilMs: null,
          memberIds: members("h", 3),
          shiftLength: 8,
          shiftUnit: "hours",
          startLocal: "2024-12-01T01:00",
          restrictions: [],
        },
      ],
    },
  ];
  const overrides: Override[] = Array.from({ length: 4 }, (_, i) => {
    const startMs = YEAR_START_MS + Math.floor(random() * YEAR_MS);
    return {
      id: `o-${index}-${i}`,
      userId: `cover-${index}-${i}`,
      startMs,
      endMs: startMs + Math.floor((2 + random() * 46) * 3_600_000),
      replacesUserId: null,
      createdAtMs: startMs - 86_400_000,
    };
  });
  return {
    id: `s-${index}`,
    name: `Schedule ${index}`,
    timeZone: ZONES[index % ZONES.length]!,
    layers,
    overrides,
  };
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(2));

export function onCallBenchMarkdown(instantsPerSchedule = 10_000): string[] {
  const random = seededRandom(42);
  const schedules = Array.from({ length: 1_000 }, (_, i) => benchSchedule(i, random));
  const instants = Float64Array.from({ length: instantsPerSchedule }, () =>
    Math.floor(YEAR_START_MS + random() * YEAR_MS),
  );
  // Warm-up: JIT, and the zones' memoised offsets (one Intl call per zone per day, shared by all).
  for (const schedule of schedules.slice(0, 20))
    for (let i = 0; i < 2_000; i++) onCallAt(schedule, instants[i]!);

  let covered = 0;
  const t0 = performance.now();
  for (const schedule of schedules)
    for (let i = 0; i < instants.length; i++) if (onCallAt(schedule, instants[i]!) !== null) covered++;
  const lookups = schedules.length * instants.length;
  const warmMicros = ((performance.now() - t0) * 1000) / lookups;

  const month = { startMs: Date.UTC(2025, 2, 1), endMs: Date.UTC(2025, 3, 1) };
  const monthSchedules = schedules.slice(0, 200);
  for (const schedule of monthSchedules.slice(0, 20)) finalShifts(schedule, month);
  let pieces = 0;
  const t2 = performance.now();
  for (const schedule of monthSchedules) pieces += finalShifts(schedule, month).length;
  const monthMs = (performance.now() - t2) / monthSchedules.length;
  const freshMonth = monthSchedules.map((schedule) => structuredClone(schedule));
  const t3 = performance.now();
  for (const schedule of freshMonth) finalShifts(schedule, month);
  const coldMonthMs = (performance.now() - t3) / freshMonth.length;

  // A schedule as the store hands it over: fresh objects, nothing memoised for them yet (the first
  // 2,000 untimed, so the figure is the steady cost rather than the JIT's first sight of them).
  const coldCount = 20_000;
  const fresh = Array.from({ length: coldCount + 2_000 }, (_, i) =>
    structuredClone(schedules[i % schedules.length]!),
  );
  for (let i = coldCount; i < fresh.length; i++) onCallAt(fresh[i]!, instants[i % instants.length]!);
  const t1 = performance.now();
  for (let i = 0; i < coldCount; i++) onCallAt(fresh[i]!, instants[i % instants.length]!);
  const coldMicros = ((performance.now() - t1) * 1000) / coldCount;

  return [
    `On-call maths (pure, one thread): 1,000 schedules × 3 layers (daily with an edit, weekly restricted to weekday 09:00–17:30, 8-hourly) and 4 overrides each, ${ZONES.length} zones; ${fmt(instantsPerSchedule)} instants across 2025 per schedule (${fmt(lookups)} look-ups, ${((100 * covered) / lookups).toFixed(1)}% answered by someone).`,
    "",
    "| Measure | Result |",
    "| --- | --- |",
    `| onCallAt, schedule seen before (memoised), mean | ${fmt(warmMicros)} µs |`,
    `| onCallAt, freshly loaded schedule (first look-up), mean | ${fmt(coldMicros)} µs |`,
    `| finalShifts for March 2025 (mean ${fmt(pieces / monthSchedules.length)} shifts), schedule seen before | ${fmt(monthMs)} ms |`,
    `| finalShifts for March 2025, freshly loaded schedule | ${fmt(coldMonthMs)} ms |`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const perSchedule = Number(process.argv[2] ?? 10_000);
  for (const line of onCallBenchMarkdown(perSchedule)) console.log(line);
}
