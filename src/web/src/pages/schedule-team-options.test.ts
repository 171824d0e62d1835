import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { teamOptions } from "./schedule-team-options";

const TEAMS = [
  { id: "pay", name: "Payments" },
  { id: "sto", name: "Storage" },
  { id: "web", name: "Web" },
];
const labels = (options: ReturnType<typeof teamOptions>) => options.map((o) => o.label);

describe("the teams a schedule's settings offer", () => {
  it("offers an admin every team, and none", () => {
    assert.deepEqual(labels(teamOptions(TEAMS, "pay", true, () => false)), [
      "No team",
      "Payments",
      "Storage",
      "Web",
    ]);
  });

  it("offers a manager its own team and the teams they manage, never none", () => {
    const managesPayAndWeb = (id: string) => id === "pay" || id === "web";
    assert.deepEqual(labels(teamOptions(TEAMS, "pay", false, managesPayAndWeb)), ["Payments", "Web"]);
  });
});
