// httpPost when this process stops running for a while (SIGSTOP, a VM pause, a long synchronous
// block): the receivers run in a worker thread, so they go on answering while the main thread is
// blocked, and they say through shared memory when they got a request and when their answer left.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { NotifyError } from "./contract.js";
import { httpPost } from "./http-post.js";
import { ReceiverGate } from "./receiver-gate.js";
import { rejectionOf } from "./notifier-test-kit.test.js";

const REQUESTS = 0;
const ANSWERS = 1;

const RECEIVER_SOURCE = `
const { createServer } = require("node:http");
const { parentPort, workerData } = require("node:worker_threads");
const counters = new Int32Array(workerData.counters);
const bump = (index) => {
  Atomics.add(counters, index, 1);
  Atomics.notify(counters, index);
};
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    bump(${REQUESTS});
    if (workerData.answers) res.end("ok", () => bump(${ANSWERS}));
  });
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

interface ThreadReceiver {
  readonly origin: string;
  readonly url: string;
  /** [requests read, answers written], updated by the receiver's thread. */
  readonly counters: Int32Array;
  close(): Promise<void>;
}

/** An HTTP receiver on 127.0.0.1 in a worker thread: it answers 200 at once, or never. */
async function startThreadReceiver(answers: boolean): Promise<ThreadReceiver> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(RECEIVER_SOURCE, {
    eval: true,
    workerData: { counters: counters.buffer, answers },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const origin = `http://127.0.0.1:${port}`;
  return { origin, url: `${origin}/hook`, counters, close: () => worker.terminate().then(() => undefined) };
}

const WAIT_FOR_RECEIVER_MS = 10_000;

/**
 * Blocks this thread, as a stopped process would be, until the receiver's counter reaches
 * `atLeast` and the monotonic clock `untilMs`. Nothing of this thread's event loop runs meanwhile.
 */
function stallUntil(counters: Int32Array, index: number, atLeast: number, untilMs: number): void {
  const giveUpMs = performance.now() + WAIT_FOR_RECEIVER_MS;
  for (let seen = Atomics.load(counters, index); seen < atLeast; seen = Atomics.load(counters, index)) {
    if (performance.now() > giveUpMs) assert.fail(`the receiver's counter ${index} stayed at ${seen}`);
    Atomics.wait(counters, index, seen, 100);
  }
  const idle = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const leftMs = untilMs - performance.now();
  if (leftMs > 0) Atomics.wait(idle, 0, 0, leftMs);
}

// Far past the timeout: the timer fires more than a second late, which httpPost takes for a stall.
const STALL_PAST_DUE_MS = 1_500;
const POLICY = { failuresToOpen: 1, firstOpenMs: 10_000, maxOpenMs: 60_000, trialTimeoutMs: 60_000 };

describe("httpPost when this process stalls past the send timeout", () => {
  const receivers: ThreadReceiver[] = [];
  const receiver = async (answers: boolean): Promise<ThreadReceiver> => {
    const started = await startThreadReceiver(answers);
    receivers.push(started);
    return started;
  };
  after(() => Promise.all(receivers.map((r) => r.close())));

  const postTo = (url: string, timeoutMs: number, gate: ReceiverGate) =>
    httpPost({
      channel: "Chat hook",
      url,
      body: "{}",
      signal: new AbortController().signal,
      timeoutMs,
      gate,
    });

  it("reads the answer that arrived while it was stalled instead of timing out and sending again", async () => {
    const gate = new ReceiverGate(POLICY);
    const answering = await receiver(true);
    // A first send leaves a pooled connection, so the next one is written without the event loop.
    await postTo(answering.url, 10_000, gate);
    await new Promise(setImmediate);

    const startedMs = performance.now();
    const sending = postTo(answering.url, 300, gate);
    // The request goes out on the pooled connection in a next-tick callback queued before this one,
    // and no poll phase runs before the stall: the answer can only be read after it.
    await new Promise((resolve) => process.nextTick(resolve));
    stallUntil(answering.counters, ANSWERS, 2, startedMs + 300 + STALL_PAST_DUE_MS);

    const response = await sending;
    assert.equal(response.status, 200);
    assert.equal(response.bodyText, "ok");
    assert.equal(Atomics.load(answering.counters, REQUESTS), 2, "sent once, not again");
    assert.equal(gate.enter(answering.origin), undefined);
  });

  it("still times out a receiver that never answers, after a bounded grace, and does not count it as unreachable", async () => {
    const gate = new ReceiverGate(POLICY);
    const silent = await receiver(false);
    const startedMs = performance.now();
    const sending = rejectionOf(postTo(silent.url, 300, gate));
    stallUntil(silent.counters, REQUESTS, 0, startedMs + 300 + STALL_PAST_DUE_MS);
    const resumedMs = performance.now();

    const err = await sending;
    assert.ok(err instanceof NotifyError, String(err));
    assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
    assert.match(
      err.message,
      /^Chat hook \(127\.0\.0\.1:\d+\): no response within 300 ms; this process was stalled/,
    );
    // The grace (min(timeoutMs, 2 s)) ran after the stall; timers fire at most a millisecond early.
    assert.ok(
      performance.now() - resumedMs >= 290,
      `timed out ${performance.now() - resumedMs} ms after the stall`,
    );
    // The silence of a process that was not running says nothing of the receiver.
    assert.equal(gate.enter(silent.origin), undefined);

    // Without a stall, the same silence is a timeout the breaker counts (it opens after one here).
    const unstalled = await rejectionOf(postTo(silent.url, 50, gate));
    assert.ok(unstalled instanceof NotifyError, String(unstalled));
    assert.equal(unstalled.message, `Chat hook (${new URL(silent.origin).host}): no response within 50 ms`);
    assert.ok(gate.enter(silent.origin) !== undefined, "held back after a timeout without a stall");
  });

  it("gives one grace only: a process that keeps stalling still times out", async () => {
    const gate = new ReceiverGate(POLICY);
    const silent = await receiver(false);
    // Turns of the event loop block far longer than the stall threshold, until MAX_STALLS: a send that
    // waited out every late timer would time out only once they stop.
    const MAX_STALLS = 8;
    let stallCount = 0;
    const stalls = setInterval(() => {
      if (++stallCount === MAX_STALLS) clearInterval(stalls);
      stallUntil(silent.counters, REQUESTS, 0, performance.now() + STALL_PAST_DUE_MS);
    }, 1);
    let stallsBeforeTimeout: number;
    try {
      const err = await rejectionOf(postTo(silent.url, 100, gate));
      stallsBeforeTimeout = stallCount;
      assert.ok(err instanceof NotifyError, String(err));
      assert.deepEqual([err.retryable, err.reason], [true, "timeout"]);
      assert.match(err.message, /no response within 100 ms; this process was stalled/);
    } finally {
      clearInterval(stalls);
    }
    assert.ok(stallsBeforeTimeout < MAX_STALLS, `timed out only after ${stallsBeforeTimeout} stalls`);
    assert.equal(gate.enter(silent.origin), undefined);
  });
});
