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
