import assert from "node:assert/strict";
import { it } from "node:test";
import { checkPhone, storedPhone } from "./phone-number.js";

it("accepts the ways people write phone numbers", () => {
  for (const phone of ["+49 30 1234567", "(030) 123-4567", "030.123.4567", "1234567", " +1 800 555 0100 "])
    assert.deepEqual(checkPhone(phone), [], phone);
});

it("refuses letters, a + inside, too few or too many digits, and more than 32 characters", () => {
  for (const phone of [
    "call me",
    "+49 30 CALL-NOW",
    "49+301234567",
    "123456",
    "1234567890123456",
    "+1 (800) 555 - 0100 - - - - - - - -",
    "☎ 1234567",
    "+49\t30\n1234567",
  ]) {
    assert.deepEqual(
      checkPhone(phone, "/phone"),
      [{ path: "/phone", message: "must be a phone number such as +49 30 1234567" }],
      phone,
    );
  }
});

it("treats an empty or blank phone as clearing it, and trims what it keeps", () => {
  assert.deepEqual(checkPhone(""), []);
  assert.deepEqual(checkPhone("   "), []);
  assert.equal(storedPhone("   "), null);
  assert.equal(storedPhone(" +49 30 1234567 "), "+49 30 1234567");
  assert.equal(storedPhone(null), null);
});
