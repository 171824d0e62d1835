import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalTimeZone } from "./time-zone-name.js";

describe("canonicalTimeZone", () => {
  const cases: Array<[typed: string, stored: string]> = [
    ["europe/berlin", "Europe/Berlin"],
    ["EUROPE/BERLIN", "Europe/Berlin"],
    ["Europe/Berlin", "Europe/Berlin"],
    ["america/new_york", "America/New_York"],
    ["america/port-au-prince", "America/Port-au-Prince"],
    ["africa/dar_es_salaam", "Africa/Dar_es_Salaam"],
    ["america/north_dakota/new_salem", "America/North_Dakota/New_Salem"],
    ["utc", "UTC"],
    ["etc/gmt+5", "Etc/GMT+5"],
    // Current names that Node 20's ICU knows only as aliases of older ones: kept, only cased.
    ["asia/kolkata", "Asia/Kolkata"],
    ["Europe/Kyiv", "Europe/Kyiv"],
    ["america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"],
    // Old names stay themselves too, in the tz database's own capitals.
    ["Asia/Calcutta", "Asia/Calcutta"],
    ["us/eastern", "US/Eastern"],
    ["antarctica/mcmurdo", "Antarctica/McMurdo"],
    ["est5edt", "EST5EDT"],
  ];
  for (const [typed, stored] of cases)
    it(`stores ${typed} as ${stored}`, () => assert.equal(canonicalTimeZone(typed), stored));

  it("answers null for what is no zone", () => {
    for (const bad of ["Mars/Base", "", "Europe/Berlin "]) assert.equal(canonicalTimeZone(bad), null, bad);
  });
});
