import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, errorPaths, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

interface MyTask {
  title: string;
  incidentNumber: number;
  incidentState: string;
  incidentResolved: boolean;
  incidentResolvedAt: string | null;
}

/** GET /me/tasks leaves out the tasks of resolved incidents unless asked; then they come last, marked. */
describeEachDialect("my tasks over HTTP: tasks of resolved incidents", (dialect) => {
  let s: ResponseScenario;
  let ada: Client;
  let cy: Client;

  /** An incident Ada triages, with a task she gives Cy. */
  const incidentWithTaskForCy = async (alertname: string, title: string) => {
    const incident = await s.openIncident(alertname);
    const triaged = await ada.post(`/api/v1/incidents/${incident.id}/triage`, {
      severity: "SEV2",
      level: "outage",
      onCallCanHandle: true,
    });
    assert.equal(triaged.statusCode, 200, triaged.body);
    const task = await ada.post(`/api/v1/incidents/${incident.id}/tasks`, { title, ownerId: s.cy.id });
    assert.equal(task.statusCode, 201, task.body);
    return incident;
  };
  const titles = (tasks: MyTask[]) => tasks.map((t) => `INC-${t.incidentNumber}: ${t.title}`);

  before(async () => {
    s = await startResponseScenario(dialect);
    ada = client(s.fb, await s.fb.signIn(s.ada.email, s.ada.password));
    cy = client(s.fb, await s.fb.signIn(s.cy.email, s.cy.password));
  });
  after(() => s.close());

  it("leaves them out by default; includeResolved=true lists them after the others, marked", async () => {
    const over = await incidentWithTaskForCy("CheckoutDown", "Roll back the 14:02 deploy");
    const open = await incidentWithTaskForCy("QueueStuck", "Drain the queue");
    const resolved = await ada.post(`/api/v1/incidents/${over.id}/resolve`);
    assert.equal(resolved.statusCode, 200, resolved.body);

    const byDefault = (await cy.get("/api/v1/me/tasks")).json() as MyTask[];
    assert.deepEqual(titles(byDefault), [`INC-${open.number}: Drain the queue`]);
    assert.equal(byDefault[0]?.incidentResolved, false);
    assert.equal(byDefault[0]?.incidentState, "acknowledged");
    assert.equal(byDefault[0]?.incidentResolvedAt, null);

    const all = (await cy.get("/api/v1/me/tasks?includeResolved=true")).json() as MyTask[];
    assert.deepEqual(titles(all), [
      `INC-${open.number}: Drain the queue`,
      `INC-${over.number}: Roll back the 14:02 deploy`,
    ]);
    assert.equal(all[1]?.incidentResolved, true);
    assert.equal(all[1]?.incidentState, "resolved");
    assert.equal(all[1]?.incidentResolvedAt, s.clock.now().toISOString());

    const explicit = (await cy.get("/api/v1/me/tasks?includeResolved=false")).json() as MyTask[];
    assert.deepEqual(titles(explicit), titles(byDefault));
  });

  it("a value that is not true or false is a 400 at the parameter", async () => {
    const refused = await cy.get("/api/v1/me/tasks?includeResolved=sometimes");
    assertProblem(refused, 400, "VALIDATION");
    assert.deepEqual(errorPaths(refused), ["querystring /includeResolved"]);
  });
});
