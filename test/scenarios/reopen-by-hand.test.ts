import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { acknowledge, reopenByHand, resolve } from "../../src/app/incidents/incident-actions.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { startResponseScenario, type ResponseScenario } from "../support/response-setup.js";

/**
 * A resolved incident reopened by hand pages as a new escalation (fake clock): step 1 (Ada) at once,
 * step 2 (Bob) when nobody acknowledges within step 1's 5 minutes, and nothing more once acknowledged.
 */
describeEachDialect("reopening a resolved incident by hand (fake clock)", (dialect) => {
  let s: ResponseScenario | undefined;
  beforeEach(async () => {
    await s?.close();
    s = await startResponseScenario(dialect);
  });
  after(() => s?.close());

  /** Opens an incident, lets Ada acknowledge and resolve it, then an hour later Cy reopens it. */
  const reopenedAnHourLater = async (sc: ResponseScenario) => {
    const incident = await sc.openIncident("CheckoutErrors");
    await acknowledge(sc.fb.running.deps, sc.ada.caller, incident.id);
    await resolve(sc.fb.running.deps, sc.ada.caller, incident.id);
    await sc.advance(60 * MINUTE);
    sc.sender.clear();
    const { incident: reopened, changed } = await reopenByHand(
      sc.fb.running.deps,
      sc.cy.caller,
      `INC-${incident.number}`,
      "the fix did not hold",
    );
    assert.deepEqual([reopened.state, changed], ["triggered", true]);
    await sc.run();
    return incident.id;
  };
  const pagesTo = (sc: ResponseScenario, name: string) =>
    sc.sender.sent.filter((m) => m.message.recipientName === name).map((m) => m.message.event);

  it("nobody acknowledges: step 2 is paged after step 1's timeout", async () => {
    const sc = s!;
    const id = await reopenedAnHourLater(sc);
    assert.deepEqual(pagesTo(sc, "Ada"), ["reopened"], "step 1 again, at once");
    assert.deepEqual(pagesTo(sc, "Bob"), []);

    await sc.advance(5 * MINUTE - 1000);
    assert.deepEqual(pagesTo(sc, "Bob"), [], "not before the timeout");
    await sc.advance(1000);
    assert.deepEqual(pagesTo(sc, "Bob"), ["escalated"]);
    const detail = await getIncident(sc.fb.running.deps, sc.ada.caller, id);
    assert.equal(detail.incident.escalationStep, 1);
    assert.ok(detail.timeline.some((e) => e.message === "Reopened by Cy: the fix did not hold"));
  });

  it("an acknowledgement stops it: step 2 is never paged", async () => {
    const sc = s!;
    const id = await reopenedAnHourLater(sc);
    await sc.advance(2 * MINUTE);
    const acked = await acknowledge(sc.fb.running.deps, sc.ada.caller, id);
    assert.equal(acked.state, "acknowledged");
    await sc.advance(30 * MINUTE);
    assert.deepEqual(pagesTo(sc, "Bob"), []);
    assert.deepEqual(pagesTo(sc, "Ada"), ["reopened"]);
  });
});
