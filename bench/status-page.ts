// `npm run bench -- status`: the public status page under load while an incident is updated once a
// second. The load comes from autocannon in a child process (it shares the machine's 2 cores with the
// server); "visible" is the time from an update's 201 until summary.json shows it.
import { performance } from "node:perf_hooks";
import { startTestFirebreak, type TestFirebreak } from "../test/support/firebreak-harness.js";
import { autocannon } from "./support/autocannon.js";

async function api(fb: TestFirebreak, key: string, method: string, url: string, payload?: object) {
  const res = await fb.http.inject({
    method: method as "POST",
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload && { payload: payload as Record<string, unknown> }),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

/** A page like a real one: 3 groups of 4 components, 30 past incidents with updates, one open incident. */
async function seed(fb: TestFirebreak, key: string): Promise<{ pageId: string; incidentId: string }> {
  const page = await api(fb, key, "POST", "/api/v1/status-pages", { slug: "bench", title: "Bench Cloud" });
  const componentIds: string[] = [];
  for (const g of ["API", "Dashboard", "Data"]) {
    const group = await api(fb, key, "POST", `/api/v1/status-pages/${page.id}/groups`, { name: g });
    for (let i = 0; i < 4; i++)
      componentIds.push(
        (
          await api(fb, key, "POST", `/api/v1/status-pages/${page.id}/components`, {
            name: `${g} ${i}`,
            groupId: group.id,
          })
        ).id,
      );
  }
  for (let n = 0; n < 30; n++) {
    const past = await api(fb, key, "POST", `/api/v1/status-pages/${page.id}/incidents`, {
      name: `Past incident ${n}`,
      impact: n % 3 === 0 ? "critical" : "minor",
      componentIds: [componentIds[n % componentIds.length]],
      body: "Investigating.",
    });
    await api(fb, key, "POST", `/api/v1/status-pages/${page.id}/incidents/${past.id}/updates`, {
      status: "resolved",
      body: "Resolved.",
    });
  }
  const open = await api(fb, key, "POST", `/api/v1/status-pages/${page.id}/incidents`, {
    name: "Elevated latency",
    impact: "minor",
    componentIds: componentIds.slice(0, 2),
    body: "Investigating.",
  });
  return { pageId: page.id, incidentId: open.id };
}

export async function statusBenchMarkdown(): Promise<string[]> {
  const fb = await startTestFirebreak({ listen: true, env: { FIREBREAK_SQLITE_SYNCHRONOUS: "full" } });
  const lines: string[] = [];
  try {
    const key = await fb.apiKey("admin");
    const { pageId, incidentId } = await seed(fb, key);
    const base = `${fb.baseUrl}/status/bench`;
    let n = 0;
    for (const [name, path] of [
      ["GET /status/:slug/api/v2/summary.json", "/api/v2/summary.json"],
      ["GET /status/:slug (HTML)", ""],
    ] as const) {
      const seconds = 10;
      const visible: number[] = [];
      let stop = false;
      // Once a second: post an update over HTTP, then watch summary.json until it shows.
      const updater = (async () => {
        while (!stop) {
          const tick = performance.now();
          const body = `Update number ${++n}`;
          const res = await fetch(
            `${fb.baseUrl}/api/v1/status-pages/${pageId}/incidents/${incidentId}/updates`,
            {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify({ status: n % 2 ? "identified" : "monitoring", body }),
            },
          );
          if (res.status !== 201) throw new Error(`update refused: ${res.status}`);
          const posted = performance.now();
          for (;;) {
            const text = await (await fetch(`${base}/api/v2/summary.json`)).text();
            if (text.includes(body)) break;
            await new Promise((r) => setTimeout(r, 5));
          }
          visible.push(performance.now() - posted);
          await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tick))));
        }
      })();
      const result = await autocannon(`${base}${path}`, 32, seconds);
      stop = true;
      await updater;
      visible.sort((a, b) => a - b);
      lines.push(
        `| ${name} | 32 | ${Math.round(result.requests.average).toLocaleString("en-US")} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx + result.errors} | ${visible.length} | ${Math.round(visible[Math.floor(visible.length / 2)] ?? NaN)} / ${Math.round(visible.at(-1) ?? NaN)} |`,
      );
    }
  } finally {
    await fb.close();
  }
  return [
    "Status page: autocannon (child process, 32 connections, 10 s) against one page of 12 components and 31 incidents, SQLite store, while its open incident gets an update every second:",
    "",
    "| Request | connections | requests/s | p50 (ms) | p99 (ms) | errors | updates | update → visible p50 / max (ms) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
  ];
}
