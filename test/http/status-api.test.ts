import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { COMPONENT_KEYS, INCIDENT_KEYS, UPDATE_KEYS } from "../../src/core/status/statuspage-shapes.test.js";
import { FakeClock, HOUR, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

const COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
];
const INDICATORS = ["none", "minor", "major", "critical", "maintenance"];
const PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"].sort();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Json = Record<string, unknown>;

function checkComponent(c: Json): void {
  const keys = Object.keys(c).sort();
  assert.deepEqual(keys, c.group ? [...COMPONENT_KEYS, "components"].sort() : COMPONENT_KEYS);
  assert.ok(COMPONENT_STATUSES.includes(c.status as string), `status ${String(c.status)}`);
  assert.match(c.created_at as string, ISO);
  assert.match(c.updated_at as string, ISO);
  assert.equal(typeof c.position, "number");
  assert.ok(c.description === null || typeof c.description === "string");
  assert.equal(typeof c.showcase, "boolean");
  // Statuspage's start_date: the date uptime counts from, the creation date (null for a group).
  if (c.group) assert.equal(c.start_date, null);
  else assert.match(c.start_date as string, /^\d{4}-\d\d-\d\d$/);
  assert.ok(c.group_id === null || typeof c.group_id === "string");
  assert.equal(typeof c.page_id, "string");
  assert.equal(typeof c.only_show_if_degraded, "boolean");
}

function checkIncident(i: Json, maintenance = false): void {
  assert.deepEqual(
    Object.keys(i).sort(),
    maintenance ? [...INCIDENT_KEYS, "scheduled_for", "scheduled_until"].sort() : INCIDENT_KEYS,
  );
  const statuses = maintenance
    ? ["scheduled", "in_progress", "verifying", "completed"]
    : ["investigating", "identified", "monitoring", "resolved", "postmortem"];
  assert.ok(statuses.includes(i.status as string), `status ${String(i.status)}`);
  assert.ok(
    (maintenance ? ["maintenance"] : ["none", "minor", "major", "critical"]).includes(i.impact as string),
  );
  for (const k of ["created_at", "updated_at", "started_at"]) assert.match(i[k] as string, ISO);
  for (const k of ["monitoring_at", "resolved_at"])
    assert.ok(i[k] === null || ISO.test(i[k] as string), `${k}: ${String(i[k])}`);
  assert.match(i.shortlink as string, /^http/);
  for (const u of i.incident_updates as Json[]) {
    assert.deepEqual(Object.keys(u).sort(), UPDATE_KEYS);
    assert.equal(u.incident_id, i.id);
    assert.ok(u.affected_components === null || Array.isArray(u.affected_components));
    for (const a of (u.affected_components as Json[] | null) ?? []) {
      assert.deepEqual(Object.keys(a).sort(), ["code", "name", "new_status", "old_status"]);
      assert.ok(
        COMPONENT_STATUSES.includes(a.old_status as string) &&
          COMPONENT_STATUSES.includes(a.new_status as string),
      );
    }
    assert.equal(u.custom_tweet, null);
    assert.equal(u.tweet_id, null);
  }
  for (const c of i.components as Json[]) checkComponent(c);
}

describe("status pages over HTTP", () => {
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  const clock = new FakeClock(Date.parse("2025-03-02T09:30:00.000Z"));
  let page: Awaited<ReturnType<typeof makePage>>;
  const get = (url: string, headers: Record<string, string> = {}) =>
    fb.http.inject({ method: "GET", url, headers });

  before(async () => {
    fb = await startTestFirebreak({
      clock,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: "https://oncall.example.com" },
    });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    page = await makePage(admin, { slug: "acme", customDomain: "status.acme.example" });
  });
  after(() => fb.close());

  it("creates a page as the contract says, and refuses bad input naming the field", async () => {
    const view = await admin.call("GET", `/api/v1/status-pages/${page.pageId}`);
    assert.deepEqual(Object.keys(view).sort(), [
      "brandColor",
      "createdAt",
      "customDomain",
      "id",
      "logoUrl",
      "private",
      "publicUrl",
      "slug",
      "timeZone",
      "title",
      "updatedAt",
    ]);
    assert.equal(view.publicUrl, "https://status.acme.example");
    const bad = await fb.http.inject({
      method: "POST",
      url: "/api/v1/status-pages",
      headers: { authorization: `Bearer ${admin.key}` },
      payload: {
        slug: "Not A Slug",
        title: "x",
        brandColor: "red",
        timeZone: "Mars/Base",
        customDomain: "http://x/y",
      },
    });
    assert.equal(bad.statusCode, 400);
    const paths = (bad.json().errors as Array<{ path: string }>).map((e) => e.path).sort();
    assert.deepEqual(paths, ["/brandColor", "/customDomain", "/slug", "/timeZone"]);
    const taken = await fb.http.inject({
      method: "POST",
      url: "/api/v1/status-pages",
      headers: { authorization: `Bearer ${admin.key}` },
      payload: { slug: "acme", title: "Again" },
    });
    assert.equal(taken.statusCode, 409);
    const ownHost = await fb.http.inject({
      method: "POST",
      url: "/api/v1/status-pages",
      headers: { authorization: `Bearer ${admin.key}` },
      payload: { slug: "own", title: "x", customDomain: "oncall.example.com" },
    });
    assert.equal(ownHost.statusCode, 400);
    assert.equal(ownHost.json().errors[0].path, "/customDomain");
    const unknownService = await fb.http.inject({
      method: "POST",
      url: `/api/v1/status-pages/${page.pageId}/components`,
      headers: { authorization: `Bearer ${admin.key}` },
      payload: { name: "x", serviceIds: ["nope"] },
    });
    assert.equal(unknownService.statusCode, 400);
    assert.equal(unknownService.json().errors[0].path, "/serviceIds/0");
    const badMaintenance = await fb.http.inject({
      method: "POST",
      url: `/api/v1/status-pages/${page.pageId}/maintenances`,
      headers: { authorization: `Bearer ${admin.key}` },
      payload: {
        name: "x",
        body: "y",
        scheduledFor: "2025-03-02T12:00:00Z",
        scheduledUntil: "2025-03-02T11:00:00Z",
      },
    });
    assert.equal(badMaintenance.statusCode, 400);
    assert.equal(badMaintenance.json().errors[0].path, "/scheduledUntil");
  });

  it("viewers read, only admins change", async () => {
    const viewer = statusAdmin(fb.http, await fb.apiKey("viewer"));
    await viewer.call("GET", "/api/v1/status-pages");
    await viewer.call("POST", "/api/v1/status-pages", { slug: "v", title: "v" }, 403);
    await viewer.call("GET", `/api/v1/status-pages/${page.pageId}/subscribers`, undefined, 403);
    const anonymous = await get("/api/v1/status-pages");
    assert.equal(anonymous.statusCode, 401);
  });

  it("summary.json and friends have Statuspage's exact shapes, enums and nulls", async () => {
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents`, {
      name: "Elevated errors",
      impact: "major",
      componentIds: [page.apiId],
      body: "We are investigating errors on the API.",
    });
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/maintenances`, {
      name: "Database upgrade",
      body: "Upgrading the primary.",
      componentIds: [page.webId],
      scheduledFor: new Date(clock.now().getTime() + HOUR).toISOString(),
      scheduledUntil: new Date(clock.now().getTime() + 2 * HOUR).toISOString(),
    });
    const summary = await get("/status/acme/api/v2/summary.json");
    assert.equal(summary.statusCode, 200);
    assert.match(summary.headers["content-type"] as string, /^application\/json/);
    assert.equal(summary.headers["access-control-allow-origin"], "*");
    assert.match(summary.headers["cache-control"] as string, /^public, max-age=\d+$/);
    const body = summary.json() as Json;
    assert.deepEqual(Object.keys(body).sort(), [
      "components",
      "incidents",
      "page",
      "scheduled_maintenances",
      "status",
    ]);
    assert.deepEqual(Object.keys(body.page as Json).sort(), PAGE_KEYS);
    assert.equal((body.page as Json).url, "https://status.acme.example");
    assert.equal((body.page as Json).time_zone, "Etc/UTC");
    const status = body.status as Json;
    assert.ok(INDICATORS.includes(status.indicator as string));
    assert.deepEqual(status, { indicator: "major", description: "Partial System Outage" });
    const components = body.components as Json[];
    assert.equal(components.length, 3);
    components.forEach(checkComponent);
    assert.deepEqual(
      components.map((c) => [c.name, c.status, c.group]),
      [
        ["Platform", "partial_outage", true],
        ["API", "partial_outage", false],
        ["Website", "operational", false],
      ],
    );
    const [incident] = body.incidents as Json[];
    checkIncident(incident as Json);
    const [update] = (incident as Json).incident_updates as Json[];
    assert.deepEqual(update?.affected_components, [
      { code: page.apiId, name: "API", old_status: "operational", new_status: "partial_outage" },
    ]);
    const [maintenance] = body.scheduled_maintenances as Json[];
    checkIncident(maintenance as Json, true);
    assert.equal((maintenance as Json).status, "scheduled");

    for (const [path, keys] of [
      ["status.json", ["page", "status"]],
      ["components.json", ["components", "page"]],
      ["incidents.json", ["incidents", "page"]],
      ["incidents/unresolved.json", ["incidents", "page"]],
      ["scheduled-maintenances.json", ["page", "scheduled_maintenances"]],
      ["scheduled-maintenances/upcoming.json", ["page", "scheduled_maintenances"]],
      ["scheduled-maintenances/active.json", ["page", "scheduled_maintenances"]],
    ] as const) {
      const res = await get(`/status/acme/api/v2/${path}`);
      assert.equal(res.statusCode, 200, path);
      const doc = res.json() as Json;
      assert.deepEqual(Object.keys(doc).sort(), [...keys], path);
      for (const i of (doc.incidents as Json[] | undefined) ?? []) checkIncident(i);
      for (const m of (doc.scheduled_maintenances as Json[] | undefined) ?? []) checkIncident(m, true);
    }
    assert.equal(
      ((await get("/status/acme/api/v2/scheduled-maintenances/active.json")).json() as Json)
        .scheduled_maintenances instanceof Array,
      true,
    );
    assert.deepEqual(
      (
        ((await get("/status/acme/api/v2/scheduled-maintenances/active.json")).json() as Json)
          .scheduled_maintenances as Json[]
      ).length,
      0,
    );
  });

  it("answers 304 to a matching If-None-Match, and a change makes a new ETag", async () => {
    const first = await get("/status/acme/api/v2/status.json");
    const etag = first.headers.etag as string;
    assert.match(etag, /^"\d+-[A-Za-z0-9_-]+"$/);
    const again = await get("/status/acme/api/v2/status.json", { "if-none-match": etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, "");
    const html = await get("/status/acme");
    assert.equal(html.statusCode, 200);
    assert.equal(
      (await get("/status/acme", { "if-none-match": html.headers.etag as string })).statusCode,
      304,
    );
    await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}`, { title: "Acme Cloud" });
    const changed = await get("/status/acme/api/v2/status.json", { "if-none-match": etag });
    assert.equal(changed.statusCode, 200, "the in-process nudge makes the change visible at once");
    assert.notEqual(changed.headers.etag, etag);
    assert.equal((changed.json() as { page: Json }).page.name, "Acme Cloud");
  });

  it("serves the page's custom domain at / and leaves the main host alone", async () => {
    const onDomain = await fb.http.inject({
      method: "GET",
      url: "/api/v2/summary.json",
      headers: { host: "status.acme.example" },
    });
    assert.equal(onDomain.statusCode, 200);
    assert.equal((onDomain.json() as { page: Json }).page.id, page.pageId);
    const root = await fb.http.inject({
      method: "GET",
      url: "/",
      headers: { host: "Status.Acme.Example:443", accept: "text/html" },
    });
    assert.equal(root.statusCode, 200);
    assert.match(root.body, /<h1 id="overall-h"/);
    assert.match(root.body, /href="\/history"/, "links on the domain start at /");
    // The main host's / is the console (or its placeholder), never a status page.
    const main = await fb.http.inject({
      method: "GET",
      url: "/",
      headers: { host: "oncall.example.com", accept: "text/html" },
    });
    assert.doesNotMatch(main.body, /overall-h/);
    const mainJson = await fb.http.inject({
      method: "GET",
      url: "/api/v2/summary.json",
      headers: { host: "oncall.example.com" },
    });
    assert.equal(mainJson.statusCode, 404);
    // The API still works on the main host, and an unknown host gets no page.
    assert.equal(
      (
        await fb.http.inject({
          method: "GET",
          url: "/api/v1/status-pages",
          headers: { host: "oncall.example.com", authorization: `Bearer ${admin.key}` },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/history", headers: { host: "evil.example" } }))
        .statusCode,
      404,
    );
  });

  it("renders the HTML pages: status, history, an incident, a maintenance; 404 for unknown ones", async () => {
    const list = await admin.call<Array<{ id: string }>>(
      "GET",
      `/api/v1/status-pages/${page.pageId}/incidents`,
    );
    const maintenances = await admin.call<Array<{ id: string }>>(
      "GET",
      `/api/v1/status-pages/${page.pageId}/maintenances`,
    );
    const main = await get("/status/acme/");
    assert.match(main.headers["content-type"] as string, /^text\/html/);
    assert.match(main.body, /Elevated errors/);
    assert.match(main.body, /Database upgrade/);
    assert.equal(main.headers["x-frame-options"], "SAMEORIGIN", "the console previews it in a frame");
    assert.equal((await get("/status/acme/history")).statusCode, 200);
    const detail = await get(`/status/acme/incidents/${list[0]?.id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /We are investigating errors on the API/);
    assert.equal((await get(`/status/acme/maintenances/${maintenances[0]?.id}`)).statusCode, 200);
    assert.equal((await get("/status/acme/incidents/nope")).statusCode, 404);
    assert.equal((await get("/status/nope")).statusCode, 404);
  });

  it("moves an incident through its statuses; resolving frees the component", async () => {
    const [incident] = await admin.call<Array<{ id: string }>>(
      "GET",
      `/api/v1/status-pages/${page.pageId}/incidents`,
    );
    const url = `/api/v1/status-pages/${page.pageId}/incidents/${incident?.id}`;
    const bad = await fb.http.inject({
      method: "POST",
      url: `${url}/updates`,
      headers: { authorization: `Bearer ${admin.key}` },
      payload: { status: "fixed", body: "" },
    });
    assert.equal(bad.statusCode, 400);
    assert.ok((bad.json().errors as Array<{ path: string }>).some((e) => e.path === "/status"));
    clock.advance(10 * MINUTE);
    await admin.call("POST", `${url}/updates`, {
      status: "monitoring",
      body: "A fix is out.",
      componentStatus: "degraded_performance",
    });
    clock.advance(10 * MINUTE);
    const resolved = await admin.call("POST", `${url}/updates`, { status: "resolved", body: "All good." });
    assert.equal(resolved.status, "resolved");
    assert.equal(resolved.resolvedAt, clock.now().toISOString());
    const summary = (await get("/status/acme/api/v2/summary.json")).json() as Json;
    assert.deepEqual(summary.status, { indicator: "none", description: "All Systems Operational" });
    assert.deepEqual(summary.incidents, []);
    const [all] = ((await get("/status/acme/api/v2/incidents.json")).json() as { incidents: Json[] })
      .incidents;
    assert.equal(all?.status, "resolved");
    assert.equal(all?.monitoring_at, new Date(clock.now().getTime() - 10 * MINUTE).toISOString());
    assert.deepEqual(((all?.incident_updates as Json[])[0] as Json).affected_components, [
      { code: page.apiId, name: "API", old_status: "degraded_performance", new_status: "operational" },
    ]);
  });

  it("a manual status wins, and null goes back to derived", async () => {
    const set = await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}/components/${page.webId}`, {
      manualStatus: "major_outage",
    });
    assert.equal(set.status, "major_outage");
    assert.equal(
      ((await get("/status/acme/api/v2/status.json")).json() as { status: Json }).status.indicator,
      "critical",
    );
    const back = await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}/components/${page.webId}`, {
      manualStatus: null,
    });
    assert.equal(back.status, "operational");
  });

  it("templates come from the response workflow, per level and status", async () => {
    const t = await admin.call(
      "GET",
      "/api/v1/status-pages/templates?level=outage&status=identified&components=API,Website",
    );
    assert.equal(
      t.body,
      "We have found the cause of the outage affecting API and Website and are working on a fix.",
    );
    const raw = await admin.call(
      "GET",
      "/api/v1/status-pages/templates?level=degradation&status=investigating",
    );
    assert.equal(raw.body, "We are investigating slow responses and delays affecting {components}.");
    const bad = await get("/api/v1/status-pages/templates?level=meh&status=identified", {
      authorization: `Bearer ${admin.key}`,
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /level/);
  });
});

describe("private status pages", () => {
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  let token: string;

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    const made = await makePage(admin, { slug: "internal", private: true });
    token = made.secretLinkToken ?? "";
    assert.match(token, /^fbsp_/);
  });
  after(() => fb.close());

  it("is a 404 to strangers, open with the secret link (which sets a cookie) or a console session", async () => {
    assert.equal((await fb.http.inject({ method: "GET", url: "/status/internal" })).statusCode, 404);
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/status/internal/api/v2/summary.json" })).statusCode,
      404,
    );
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/status/internal?token=fbsp_wrong" })).statusCode,
      404,
    );
    const withLink = await fb.http.inject({ method: "GET", url: `/status/internal?token=${token}` });
    assert.equal(withLink.statusCode, 200);
    assert.match(withLink.headers["cache-control"] as string, /^private/);
    const cookie = withLink.cookies.find((c) => c.name.startsWith("fb_status_"));
    assert.ok(cookie?.httpOnly);
    const byCookie = await fb.http.inject({
      method: "GET",
      url: "/status/internal/api/v2/summary.json",
      headers: { cookie: `${cookie?.name}=${cookie?.value}` },
    });
    assert.equal(byCookie.statusCode, 200);
    const viewer = await fb.user("viewer");
    const { cookie: session } = await fb.signIn(viewer.email, viewer.password);
    assert.equal(
      (await fb.http.inject({ method: "GET", url: "/status/internal/history", headers: { cookie: session } }))
        .statusCode,
      200,
    );
    // Rotating the link: the old one stops working.
    const rotated = await admin.call<{ url: string }>(
      "POST",
      `/api/v1/status-pages/${(await admin.call<Array<{ id: string }>>("GET", "/api/v1/status-pages"))[0]?.id}/secret-link/rotate`,
      undefined,
      200,
    );
    assert.match(rotated.url, /\/status\/internal\?token=fbsp_/);
    assert.equal(
      (await fb.http.inject({ method: "GET", url: `/status/internal?token=${token}` })).statusCode,
      404,
    );
  });
});
