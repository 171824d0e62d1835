import assert from "node:assert/strict";
import type { LightMyRequestResponse } from "fastify";

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string;
  readonly instance?: string;
  readonly errors?: readonly { path: string; message: string }[];
}

/**
 * Asserts that a response is an RFC 9457 problem with this status and code, carrying the request id
 * in both the header and the body, and returns the parsed problem.
 */
export function assertProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  assert.equal(res.statusCode, status, `expected ${status}, got ${res.statusCode}: ${res.body}`);
  assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, "string");
  assert.equal(typeof body.detail, "string");
  assert.ok(body.detail.length > 0, "the problem has a detail");
  const requestId = res.headers["x-request-id"];
  assert.equal(typeof requestId, "string");
  assert.equal(body.requestId, requestId);
  return body;
}

export const bearer = (key: string): { authorization: string } => ({ authorization: `Bearer ${key}` });

/**
 * For each of five names, sends four creates of it at once and asserts that exactly one made the
 * record and every other was told the name is taken: 409 with `detail` at the field `path`, not the
 * store's field-less "try again". On PostgreSQL they may all pass the check in code and the unique
 * index decides; five rounds because one can end before the next starts, leaving no race to lose.
 * Returns the names.
 */
export async function assertRacingCreates(
  base: string,
  create: (name: string) => Promise<LightMyRequestResponse>,
  detail: (name: string) => string,
  path = "/name",
): Promise<string[]> {
  const names = Array.from({ length: 5 }, (_, i) => `${base}-${i + 1}`);
  for (const name of names) {
    const answers = await Promise.all(Array.from({ length: 4 }, () => create(name)));
    const bodies = answers.map((a) => a.body).join("\n");
    assert.equal(answers.filter((a) => a.statusCode === 201).length, 1, bodies);
    for (const answer of answers.filter((a) => a.statusCode !== 201)) {
      const problem = assertProblem(answer, 409, "CONFLICT");
      assert.equal(problem.detail, detail(name), bodies);
      assert.deepEqual(
        problem.errors?.map((e) => e.path),
        [path],
        bodies,
      );
    }
  }
  return names;
}
