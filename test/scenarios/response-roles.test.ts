import assert from "node:assert/strict";
import { after, beforeEach, it } from "node:test";
import { createChannel } from "../../src/app/channels/manage-channels.js";
import { getIncident } from "../../src/app/incidents/read-incidents.js";
import { putResponseSettings } from "../../src/app/response/manage-response-settings.js";
import { postInternalUpdate } from "../../src/app/response/post-internal-update.js";
import { createService } from "../../src/app/services/manage-services.js";
import { resolve } from "../../src/app/incidents/incident-actions.js";
import {
  acceptIncidentHandover,
  declineIncidentHandover,
  proposeIncidentHandover,
  setCommsLead,
} from "../../src/app/response/manage-roles.js";
import { postIncidentPublicUpdate } from "../../src/app/response/public-updates.js";
import { getWarRoom } from "../../src/app/response/read-war-room.js";
import { triageIncident } from "../../src/app/response/triage-incident.js";
import type { Incident } from "../../src/core/incidents/incident.js";
import { describeEachDialect } from "../support/dialects.js";
import { MINUTE } from "../support/fake-clock.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { statusAdmin } from "../support/status-setup.js";

describeEachDialect(
  "incident response: roles, handovers and public-update reminders (fake clock)",
  (dialect) => {
    let s: ResponseScenario;
    let incident: Incident;
    const room = () => getWarRoom(s.fb.running.deps, s.ada.caller, incident.id);
    const timeline = async () => (await getIncident(s.fb.running.deps, s.ada.caller, incident.id)).timeline;

    beforeEach(async () => {
      await s?.close();
      s = await startResponseScenario(dialect);
      incident = await s.openIncident("PaymentsDown");
    });
    after(() => s?.close());
    /** Public updates are refused for a service no status page shows: one component, named as the service. */
    const showOnStatusPage = async () => {
      const admin = statusAdmin(s.fb.http, await s.fb.apiKey("admin"));
      const page = await admin.call<{ id: string }>("POST", "/api/v1/status-pages", {
        slug: "acme",
        title: "Acme",
      });
      const service = await s.fb.running.deps.uow.read((tx) => tx.services.findById(s.serviceId));
      await admin.call("POST", `/api/v1/status-pages/${page.id}/components`, {
        name: service!.name,
        serviceIds: [s.serviceId],
      });
    };

    it("triage acknowledges the incident, names the caller the handler and stops the paging", async () => {
      await s.advance(2 * MINUTE);
      const view = await triageIncident(s.fb.running.deps, s.ada.caller, `INC-${incident.number}`, {
        severity: "SEV1",
        level: "data-corruption",
        onCallCanHandle: false,
        callIn: [{ kind: "user", userId: s.cy.id }],
        note: "orders written twice",
      });
      assert.equal(view.incident.state, "acknowledged");
      assert.equal(view.response.handlerId, s.ada.id);
      assert.equal(view.response.handlerName, "Ada");
      assert.equal(view.response.level, "data-corruption");
      assert.equal(view.playbook?.steps[0]?.startsWith("Stop the writes"), true);
      assert.equal(view.response.publicUpdateRequired, true);
      const kinds = (await timeline()).map((e) => e.kind);
      assert.ok(kinds.includes("incident.acknowledged") && kinds.includes("triage.recorded"));
      // A call-in rings a phone: it goes out through the engine's urgent slots, as a page does.
      const jobs = s.fb.running.store.jobs;
      const urgent = await jobs.claimDue({
        now: s.clock.now(),
        limit: 100,
        leaseMs: MINUTE,
        workerId: "peek",
        urgentOnly: true,
      });
      await jobs.release({ ids: urgent.map((job) => job.id), workerId: "peek" });
      assert.ok(
        urgent.some((job) => job.kind === "response.notice" && JSON.stringify(job.payload).includes(s.cy.id)),
        "Cy's call-in is an urgent job",
      );
      await s.run();
      assert.equal(s.sentTo("Cy", /Ada calls you in/).length, 1, "called in through Cy's rules");
      await s.advance(30 * MINUTE);
      assert.equal(
        s.sender.sent.filter((m) => m.message.event === "escalated").length,
        0,
        "acknowledged by triage: Bob is never paged",
      );
    });

    it("a handover needs the new handler to accept; declining keeps the old one", async () => {
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV2",
        level: "degradation",
        onCallCanHandle: true,
      });
      let view = await proposeIncidentHandover(s.fb.running.deps, s.ada.caller, incident.id, s.bob.id);
      assert.equal(view.handlerId, s.ada.id, "still Ada until Bob accepts");
      assert.equal(view.pendingHandover?.toId, s.bob.id);
      await s.run();
      assert.equal(s.sentTo("Bob", /offers you the Incident Handler role/).length, 1);

      await assert.rejects(acceptIncidentHandover(s.fb.running.deps, s.cy.caller, incident.id), {
        code: "FORBIDDEN",
      });
      await assert.rejects(proposeIncidentHandover(s.fb.running.deps, s.ada.caller, incident.id, s.cy.id), {
        code: "CONFLICT",
      });
      view = await declineIncidentHandover(s.fb.running.deps, s.bob.caller, incident.id);
      assert.equal(view.handlerId, s.ada.id);
      assert.equal(view.pendingHandover, null);

      await proposeIncidentHandover(s.fb.running.deps, s.ada.caller, incident.id, s.bob.id);
      view = await acceptIncidentHandover(s.fb.running.deps, s.bob.caller, incident.id);
      assert.equal(view.handlerId, s.bob.id);
      assert.deepEqual(view.responderIds, [s.ada.id], "the previous handler stays on as a responder");
      const messages = (await timeline()).map((e) => e.message);
      assert.ok(messages.includes("Bob declined the Incident Handler role; Ada keeps it"));
      assert.ok(messages.includes("Bob is the Incident Handler now, taking over from Ada"));
      // Only the handler may hand the role on.
      await assert.rejects(proposeIncidentHandover(s.fb.running.deps, s.ada.caller, incident.id, s.cy.id), {
        code: "FORBIDDEN",
      });
    });

    it("reminds the handler and comms lead about the public update of an outage every 15 min without one", async () => {
      await showOnStatusPage();
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV1",
        level: "outage",
        onCallCanHandle: true,
      });
      await setCommsLead(s.fb.running.deps, s.ada.caller, incident.id, s.cy.id);
      const reminders = (name: string) => s.sentTo(name, /post a public update/);
      assert.equal(
        (await room()).response.nextPublicUpdateReminderAt?.getTime(),
        s.clock.now().getTime() + 15 * MINUTE,
      );

      await s.advance(15 * MINUTE - 1);
      assert.equal(reminders("Ada").length, 0);
      await s.advance(1);
      assert.equal(reminders("Ada").length, 1);
      assert.equal(reminders("Cy").length, 1, "the comms lead too");
      await s.advance(15 * MINUTE);
      assert.equal(reminders("Ada").length, 2, "it repeats");
      assert.match(reminders("Ada")[1]!, /outage, none yet after 30 min/);

      await s.advance(5 * MINUTE);
      await assert.rejects(
        postIncidentPublicUpdate(s.fb.running.deps, s.bob.caller, incident.id, {
          status: "investigating",
          message: "We are looking into it.",
        }),
        { code: "FORBIDDEN" },
      );
      const draft = (await room()).publicUpdateDraft;
      assert.match(draft?.message ?? "", /outage affecting checkout-/);
      const posted = await postIncidentPublicUpdate(s.fb.running.deps, s.cy.caller, incident.id, {
        status: "investigating",
        message: draft!.message,
      });
      assert.equal(posted.postedByName, "Cy");
      const view = await room();
      assert.equal(view.response.publicUpdateRequired, false, "the first one is posted");
      assert.equal(
        view.response.nextPublicUpdateReminderAt?.getTime(),
        s.clock.now().getTime() + 15 * MINUTE,
        "the next one is due 15 min after it",
      );
      await s.advance(15 * MINUTE - 1);
      assert.equal(reminders("Ada").length, 2, "posted: nothing until it is 15 min old");
      assert.deepEqual(
        (await timeline()).filter((e) => e.kind === "public-update.reminder").length,
        2,
        "each reminder is on the timeline",
      );
      const stored = await s.fb.running.deps.uow.run((tx) => tx.publicUpdates.find(posted.id));
      assert.ok(stored?.publishedAtMs, "handed to the status publisher");
    });

    it("keeps reminding while the incident is open: each public update starts the count again, resolving stops it", async () => {
      await showOnStatusPage();
      const deps = s.fb.running.deps;
      await putResponseSettings(deps, setupCaller, s.serviceId, { publicUpdateEveryMinutes: 20 });
      await triageIncident(deps, s.ada.caller, incident.id, {
        severity: "SEV1",
        level: "data-corruption",
        onCallCanHandle: true,
      });
      const post = (message: string) =>
        postIncidentPublicUpdate(deps, s.ada.caller, incident.id, { status: "identified", message });
      const reminders = () => s.sentTo("Ada", /post a public update/);

      await s.advance(5 * MINUTE);
      await post("We found the cause of the wrong totals.");
      await s.advance(15 * MINUTE);
      assert.deepEqual(reminders(), [], "20 min after triage, but only 15 after the update");
      await s.advance(5 * MINUTE);
      assert.deepEqual(reminders(), [
        `INC-${incident.number}: post a public update (data corruption, last one 20 min ago)`,
      ]);
      assert.ok(
        (await timeline()).some(
          (e) =>
            e.message ===
            "No public update for 20 min during this data corruption: customers need the next one",
        ),
      );
      await s.advance(20 * MINUTE);
      assert.equal(reminders().length, 2, "it repeats while nobody posts");
      assert.match(reminders()[1]!, /last one 40 min ago/);

      // A new update re-arms the timer: the count starts from it.
      await s.advance(10 * MINUTE);
      await post("The fix is rolling out.");
      await s.advance(19 * MINUTE);
      assert.equal(reminders().length, 2);
      await s.advance(MINUTE);
      assert.equal(reminders().length, 3);
      assert.match(reminders()[2]!, /last one 20 min ago/);

      await resolve(deps, s.ada.caller, incident.id);
      await s.advance(3 * 60 * MINUTE);
      assert.equal(reminders().length, 3, "resolved: no more reminders");
      assert.equal((await room()).response.nextPublicUpdateReminderAt, null);
    });

    it("an internal update goes to the stakeholders by email and tells dependent services to back off", async () => {
      const deps = s.fb.running.deps;
      const mail = await createChannel(deps, setupCaller, {
        name: "ops mail",
        kind: "email",
        config: { smtpUrl: "smtp://127.0.0.1:2525", from: "firebreak@example.com", to: ["ops@example.com"] },
      });
      const shopChannel = await createChannel(deps, setupCaller, {
        name: "#shop",
        kind: "webhook",
        config: { url: "http://127.0.0.1:9/shop" },
      });
      const shop = await createService(deps, setupCaller, {
        name: `shop-${dialect}`,
        channelId: shopChannel.id,
      });
      await putResponseSettings(deps, setupCaller, s.serviceId, {
        stakeholderEmails: ["Support@Example.com", "cs@example.com"],
        dependentServiceIds: [shop.id],
      });
      await triageIncident(deps, s.ada.caller, incident.id, {
        severity: "SEV2",
        level: "outage",
        onCallCanHandle: true,
      });
      const posted = await postInternalUpdate(
        deps,
        s.bob.caller,
        incident.id,
        "Payments fail for cards; rollback next",
      );
      assert.deepEqual(posted.emailed, ["support@example.com", "cs@example.com"]);
      assert.deepEqual(posted.backOff, [shop.name]);
      await s.run();
      const email = s.sender.sent.find((m) => m.kind === "email");
      assert.deepEqual(
        email?.config.to,
        ["support@example.com", "cs@example.com"],
        "the stakeholders, not the channel's list",
      );
      assert.equal(email?.config.smtpUrl, "smtp://127.0.0.1:2525");
      assert.ok(email?.message.details.some((d) => d.value === "Payments fail for cards; rollback next"));
      const backOff = s.sender.sent.find((m) => m.config.url === "http://127.0.0.1:9/shop");
      assert.match(backOff?.message.title ?? "", /please back off/);
      assert.ok(mail.id);
      assert.ok(
        (await timeline()).some(
          (e) => e.kind === "internal-update.posted" && e.message.startsWith("Bob: Payments"),
        ),
      );
    });

    it("resolving through the paging flow reads as phase resolved and stops the reminders", async () => {
      await triageIncident(s.fb.running.deps, s.ada.caller, incident.id, {
        severity: "SEV1",
        level: "outage",
        onCallCanHandle: true,
      });
      await resolve(s.fb.running.deps, s.ada.caller, incident.id);
      const view = await room();
      assert.equal(view.response.phase, "resolved");
      assert.equal(view.response.publicUpdateRequired, false);
      await s.advance(60 * MINUTE);
      assert.equal(s.sentTo("Ada", /post a public update/).length, 0);
    });
  },
);
