import { NotifyError } from "../contract.js";
import { heldBackError, sharedReceiverGate, type GateOutcome, type ReceiverGate } from "../receiver-gate.js";

/**
 * Sends through the receiver gate (see ReceiverGate): an SMTP server that stopped answering is held
 * back like an HTTP receiver, so mail to it cannot hold the engine's slots for its timeouts.
 * `send` throws NotifyErrors; `cancelled` tells a send the caller gave up on from a dead server.
 */
export async function sendThroughSmtpGate<T>(
  host: string,
  where: string,
  send: () => Promise<T>,
  options: { gate?: ReceiverGate; cancelled?: () => boolean } = {},
): Promise<T> {
  const gate = options.gate ?? sharedReceiverGate;
  const origin = `smtp://${host}`;
  const heldBack = gate.enter(origin);
  if (heldBack) throw heldBackError(where, heldBack);
  try {
    const result = await send();
    gate.settle(origin, "reachable");
    return result;
  } catch (error) {
    gate.settle(origin, gateOutcomeOfSmtp(error, options.cancelled?.() ?? false));
    throw error;
  }
}

/** A reply code, even a refusal, means the server is there; no connection or no reply means it is not. */
function gateOutcomeOfSmtp(error: unknown, cancelled: boolean): GateOutcome {
  if (cancelled) return "abandoned";
  const reason = error instanceof NotifyError ? error.reason : "network";
  return reason === "network" || reason === "timeout" ? "unreachable" : "reachable";
}
