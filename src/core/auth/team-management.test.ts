import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { systemActor, type Actor } from "./actor.js";
import {
  decideTeamManagement,
  requireTeamManagement,
  requireTeamManagerRole,
  type ManagedTeams,
} from "./team-management.js";
import type { Role } from "./roles.js";

const PAYMENTS = { id: "team-payments", name: "Payments" };
const person = (role: Role): Actor => ({ kind: "user", id: "u1", role, label: "ada@example.com" });
const key = (role: Role): Actor => ({ kind: "api_key", id: "k1", role, label: "API key deploy" });

const nobody: ManagedTeams = null;
const none: ManagedTeams = new Set();
const payments: ManagedTeams = new Set([PAYMENTS.id]);
const other: ManagedTeams = new Set(["team-storage"]);

describe("team management", () => {
  const table: Array<{
    who: string;
    actor: Actor;
    managed: ManagedTeams;
    team: typeof PAYMENTS | null;
    allowed: "admin" | "team manager" | RegExp;
  }> = [
    // Admins (and Firebreak itself) change everything, owned by a team or not.
    { who: "an admin", actor: person("admin"), managed: none, team: PAYMENTS, allowed: "admin" },
    { who: "an admin", actor: person("admin"), managed: nobody, team: null, allowed: "admin" },
    { who: "an admin key of nobody", actor: key("admin"), managed: nobody, team: PAYMENTS, allowed: "admin" },
    { who: "Firebreak", actor: systemActor(), managed: nobody, team: null, allowed: "admin" },
    // A responder: only what a team they manage owns.
    {
      who: "a responder managing the team",
      actor: person("responder"),
      managed: payments,
      team: PAYMENTS,
      allowed: "team manager",
    },
    {
      who: "a responder key acting for its manager",
      actor: key("responder"),
      managed: payments,
      team: PAYMENTS,
      allowed: "team manager",
    },
    {
      who: "a responder managing another team",
      actor: person("responder"),
      managed: other,
      team: PAYMENTS,
      allowed:
        /^changing service checkout needs the admin role or a manager of team Payments; ada@example.com does not manage team Payments$/,
    },
    {
      who: "a responder managing no team (a plain member)",
      actor: person("responder"),
      managed: none,
      team: PAYMENTS,
      allowed: /does not manage team Payments/,
    },
    {
      who: "a responder key acting for nobody",
      actor: key("responder"),
      managed: nobody,
      team: PAYMENTS,
      allowed: /API key deploy acts for no person, so it manages no team/,
    },
    {
      who: "a responder managing teams, for a record no team owns",
      actor: person("responder"),
      managed: payments,
      team: null,
      allowed:
        /needs the admin role: a team manager may change only what their team owns, and no team owns this/,
    },
    // A viewer never writes, manager or not.
    {
      who: "a viewer managing the team",
      actor: person("viewer"),
      managed: payments,
      team: PAYMENTS,
      allowed:
        /needs the admin role, or the responder role and managing team Payments; ada@example.com has viewer$/,
    },
    {
      who: "a viewer key acting for a manager",
      actor: key("viewer"),
      managed: payments,
      team: PAYMENTS,
      allowed: /API key deploy has viewer/,
    },
    {
      who: "a viewer, for a record no team owns",
      actor: person("viewer"),
      managed: nobody,
      team: null,
      allowed: /^changing service checkout needs the admin role; ada@example.com has viewer$/,
    },
  ];

  for (const { who, actor, managed, team, allowed } of table) {
    const verdict = typeof allowed === "string" ? `may, as ${allowed}` : "may not";
    it(`${who} ${verdict} change a record ${team ? `team ${team.name} owns` : "no team owns"}`, () => {
      const change = { doing: "changing service checkout", team };
      const decision = decideTeamManagement(actor, managed, change);
      if (typeof allowed === "string") {
        assert.deepEqual(decision, { allowed: true, as: allowed });
        requireTeamManagement(actor, managed, change);
      } else {
        assert.equal(decision.allowed, false);
        assert.match(decision.allowed ? "" : decision.reason, allowed);
        assert.throws(() => requireTeamManagement(actor, managed, change), {
          code: "FORBIDDEN",
          message: allowed,
        });
      }
    });
  }

  const leastRoles: Array<[Actor, boolean]> = [
    [person("viewer"), false],
    [key("viewer"), false],
    [person("responder"), true],
    [key("responder"), true],
    [person("admin"), true],
    [systemActor(), true],
  ];
  for (const [actor, passes] of leastRoles) {
    it(`${actor.label} as ${actor.role} ${passes ? "passes" : "fails"} the team manager's least role`, () => {
      if (passes) requireTeamManagerRole(actor);
      else
        assert.throws(() => requireTeamManagerRole(actor), {
          code: "FORBIDDEN",
          message: new RegExp(
            `or the responder role and managing the team that owns what it changes; ${actor.label} has viewer$`,
          ),
        });
    });
  }
});
