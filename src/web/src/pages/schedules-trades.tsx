// /schedules/trades: the trades inbox. Swaps offered to me and open cover requests I could take
// (Accept / Decline), and my own requests still waiting (Cancel).
import { useState, type ReactNode } from "react";
import { messageOf } from "../api";
import { useLoad } from "../data";
import { Page } from "../layout";
import { Link } from "../router";
import { schedules, type Schedule, type Trade, type ZonedUser } from "../schedules-api";
import { useUser } from "../session";
import { LoadState } from "../widgets";
import { browserTimeZone, formatSpan } from "./schedule-time";
import { SchedulesNav } from "./schedules";
import { actionableTrades } from "./schedules-badge";
import "../schedules.css";

type Verb = "accept" | "decline" | "cancel";

const DONE: Record<Verb, string> = {
  accept: "Accepted. The schedule shows the change now, and both of you are notified.",
  decline: "Declined. They are told, and can ask someone else.",
  cancel: "Request cancelled.",
};

function TradeCard(props: {
  trade: Trade;
  schedule: Schedule | undefined;
  meId: string;
  myZone: string;
  busy: boolean;
  onAct(trade: Trade, verb: Verb): void;
}) {
  const { trade, schedule, meId, myZone, busy, onAct } = props;
  const zone = schedule?.timeZone ?? myZone;
  const mine = trade.requesterId === meId;
  const who = trade.requesterName;
  const what =
    trade.kind === "swap"
      ? mine
        ? "You asked for a swap"
        : `${who} asks you to swap`
      : mine
        ? "You asked for cover"
        : `${who} asks for cover`;
  const when = (span: { start: string; end: string }) => (
    <>
      {formatSpan(span.start, span.end, zone)} <span className="muted">({zone})</span>
      {myZone !== zone && (
        <span className="muted"> · your time: {formatSpan(span.start, span.end, myZone)}</span>
      )}
    </>
  );
  const scheduleName = trade.scheduleName ?? schedule?.name ?? "a schedule";
  return (
    <li className="card-item trade">
      <div className="card-item-head">
        <h3>{what}</h3>
        <span className="badge">{trade.kind === "swap" ? "Swap" : "Cover"}</span>
      </div>
      <dl className="details">
        <dt>Schedule</dt>
        <dd>
          <Link to={`/schedules/${encodeURIComponent(trade.scheduleId)}`}>{scheduleName}</Link>
        </dd>
        <dt>{mine ? "Your shift" : `${who}’s shift`}</dt>
        <dd>{when(trade.shift)}</dd>
        {trade.swapWith && (
          <>
            <dt>In return</dt>
            <dd>
              {mine ? "You take" : `${who} takes`}{" "}
              {trade.swapWith.userId === meId ? "your" : `${trade.swapWith.userName}’s`} shift{" "}
              {when(trade.swapWith)}
            </dd>
          </>
        )}
        {trade.note && (
          <>
            <dt>Note</dt>
            <dd className="break">{trade.note}</dd>
          </>
        )}
      </dl>
      <div className="row-buttons">
        {!mine && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => onAct(trade, "accept")}
          >
            {trade.kind === "swap" ? "Accept" : "Take this shift"}
            <span className="visually-hidden">
              {" "}
              {trade.kind} from {who}
            </span>
          </button>
        )}
        {!mine && trade.offeredTo === meId && (
          <button type="button" className="button" disabled={busy} onClick={() => onAct(trade, "decline")}>
            Decline
            <span className="visually-hidden">
              {" "}
              {trade.kind} from {who}
            </span>
          </button>
        )}
        {mine && (
          <button
            type="button"
            className="button button-danger-quiet"
            disabled={busy}
            onClick={() => onAct(trade, "cancel")}
          >
            Cancel request
          </button>
        )}
      </div>
    </li>
  );
}

function TradeSection(props: {
  id: string;
  title: string;
  empty: string;
  trades: Trade[];
  card(t: Trade): ReactNode;
}) {
  return (
    <section className="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>
        {props.title} <span className="badge badge-quiet">{props.trades.length}</span>
      </h2>
      {props.trades.length === 0 ? (
        <p className="empty">{props.empty}</p>
      ) : (
        <ul className="card-list">{props.trades.map(props.card)}</ul>
      )}
    </section>
  );
}

export function TradesPage() {
  const user = useUser() as ZonedUser;
  const trades = useLoad(schedules.myTrades);
  const list = useLoad(schedules.list);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const myZone = user.timeZone || browserTimeZone();
  const all = (trades.data ?? []).filter((t) => t.state === "pending");
  const forMe = actionableTrades(all, user.id);
  const offered = forMe.filter((t) => t.offeredTo === user.id);
  const covers = forMe.filter((t) => t.offeredTo !== user.id);
  const mine = all.filter((t) => t.requesterId === user.id);

  const act = async (trade: Trade, verb: Verb) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await schedules.decideTrade(trade.id, verb);
      setMessage({ ok: true, text: DONE[verb] });
      await trades.reload();
    } catch (err) {
      setMessage({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const card = (t: Trade) => (
    <TradeCard
      key={t.id}
      trade={t}
      schedule={list.data?.find((s) => s.id === t.scheduleId)}
      meId={user.id}
      myZone={myZone}
      busy={busy}
      onAct={(trade, verb) => void act(trade, verb)}
    />
  );

  return (
    <Page
      heading="Trades"
      title="Trades · Schedules"
      lead="Swaps and covers: someone asks, someone accepts, and the final schedule changes. Everything is on the audit log."
    >
      <SchedulesNav />
      <div role="status">
        {message?.ok && (
          <div className="notice notice-success">
            <p>{message.text}</p>
          </div>
        )}
      </div>
      {message && !message.ok && (
        <div className="notice notice-error" role="alert">
          <p>{message.text}</p>
        </div>
      )}
      <LoadState what="trades" loading={trades.loading && !trades.data} error={trades.error} />
      {trades.data && (
        <>
          <TradeSection
            id="offered-to-me"
            title="Offered to you"
            empty="Nobody has asked you to swap."
            trades={offered}
            card={card}
          />
          <TradeSection
            id="open-covers"
            title="Open cover requests"
            empty="Nobody needs cover right now."
            trades={covers}
            card={card}
          />
          <TradeSection
            id="my-requests"
            title="Your requests"
            empty="You have no requests waiting. Ask for a swap or cover from one of your shifts on a schedule’s timeline."
            trades={mine}
            card={card}
          />
        </>
      )}
    </Page>
  );
}
