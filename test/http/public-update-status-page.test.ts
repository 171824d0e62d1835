// A public update reaches customers or is refused: for a service no status-page component shows, the
// post is a 409 naming the service and where to link it, nothing is stored and the reminders go on.
// Once linked, the update is on the page; GET …/status-page-incidents says where, and resolving the
// incident over HTTP resolves it there.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

describeEachDialect("public updates and the status pages over HTTP", (dialect) => {
  let s: ResponseScenario;
  let ada: Client;
  let bob: Client;
  let viewer: Client;
  let admin: StatusAdmin;
  let page: Awaited<ReturnType<typeof makePage>>;
  let incidentId = "";
  const updates = (id: string) => `/api/v1/incidents/${id}/public-updates`;
  const unresolved = async () =>
    (
      (
        await s.fb.http.inject({ method: "GET", url: "/status/acme/api/v2/incidents/unresolved.json" })
      ).json() as {
        incidents: Array<{ name: string; status: string }>;
      }
    ).incidents;

  before(async () => {
    s = await startResponseScenario(dialect);
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    bob = client(s.fb, await s.fb.signIn(s.bob.email, s.bob.password));
    viewer = client(s.fb, { key: await s.fb.apiKey("viewer") });
    admin = statusAdmin(s.fb.http, await s.fb.apiKey("admin"));
    // A page whose components show other services: the incident's service is on no page.
    page = await makePage(admin, { slug: "acme" });
    incidentId = (await s.openIncident("SearchDown")).id;
    const triaged = await ada.post(`/api/v1/incidents/${incidentId}/triage`, {
      severity: "SEV1",
      level: "outage",
      onCallCanHandle: true,
    });
    assert.equal(triaged.statusCode, 200, triaged.body);
  });
  after(() => s.close());

  it("refuses an update no status page would show, naming the service and where to link it", async () => {
    const refused = assertProblem(
      await ada.post(updates(incidentId), { status: "investigating", message: "Search is down." }),
      409,
      "CONFLICT",
    );
    assert.equal(
      refused.detail,
      `no status page shows service "checkout-${dialect}": link a component to it (in Status pages → Components), then post the update again`,
    );
    assert.deepEqual(await unresolved(), []);
    const room = (await viewer.get(`/api/v1/incidents/${incidentId}/response`)).json() as {
      publicUpdates: unknown[];
    };
    assert.deepEqual(room.publicUpdates, [], "nothing was stored as posted");
  });

  it("refuses who may not post, and a bad message, before that", async () => {
    assertProblem(
      await bob.post(updates(incidentId), { status: "identified", message: "Found it." }),
      403,
      "FORBIDDEN",
    );
    const placeholder = await ada.post(updates(incidentId), {
      status: "investigating",
      message: "Outage affecting {components}",
    });
    assertProblem(placeholder, 400, "VALIDATION");
    assert.deepEqual(errorPaths(placeholder), ["/message"]);
    const unknown = await ada.post(updates(incidentId), {
      status: "investigating",
      message: "Search is down.",
      componentIds: [page.apiId, "no-such-component"],
    });
    assertProblem(unknown, 400, "VALIDATION");
    assert.deepEqual(errorPaths(unknown), ["/componentIds/1"]);
  });

  it("keeps reminding that a public update is required", async () => {
    await s.advance(16 * MINUTE);
    const kinds = (await s.fb.running.deps.uow.run((tx) => tx.timeline.listForIncident(incidentId))).map(
      (e) => e.kind,
    );
    assert.ok(kinds.includes("public-update.reminder"), kinds.join(", "));
  });

  it("says so in the API documentation", async () => {
    const doc = (await viewer.get("/openapi.json")).json() as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;
    };
    const post = doc.paths["/api/v1/incidents/{ref}/public-updates"]?.post;
    assert.match(post?.description ?? "", /no status page shows the service.*409 CONFLICT/s);
    assert.ok(post?.responses["409"]);
    assert.ok(doc.paths["/api/v1/incidents/{ref}/status-page-incidents"]?.get);
  });

  it("posts once a component is linked, lists where it shows, and resolving resolves it there", async () => {
    await admin.call("PATCH", `/api/v1/status-pages/${page.pageId}/components/${page.apiId}`, {
      serviceIds: [s.serviceId],
    });
    const posted = await ada.post(updates(incidentId), {
      status: "investigating",
      message: "Search is down.",
    });
    assert.equal(posted.statusCode, 201, posted.body);
    await s.run();
    assert.deepEqual(
      (await unresolved()).map((i) => [i.name, i.status]),
      [["API: Outage", "investigating"]],
    );
    const listed = await viewer.get(`/api/v1/incidents/${incidentId}/status-page-incidents`);
    assert.equal(listed.statusCode, 200, listed.body);
    const [shown] = listed.json() as Array<{
      pageId: string;
      pageTitle: string;
      name: string;
      status: string;
    }>;
    assert.deepEqual(
      { pageId: shown?.pageId, pageTitle: shown?.pageTitle, name: shown?.name, status: shown?.status },
      { pageId: page.pageId, pageTitle: "Acme", name: "API: Outage", status: "investigating" },
    );

    const resolved = await ada.post(`/api/v1/incidents/${incidentId}/resolve`);
    assert.equal(resolved.statusCode, 200, resolved.body);
    await s.run();
    assert.deepEqual(await unresolved(), []);
    const after = (
      await viewer.get(`/api/v1/incidents/${incidentId}/status-page-incidents`)
    ).json() as Array<{
      status: string;
    }>;
    assert.deepEqual(
      after.map((i) => i.status),
      ["resolved"],
    );
    assertProblem(await viewer.get("/api/v1/incidents/INC-999999/status-page-incidents"), 404, "NOT_FOUND");
  });
});
