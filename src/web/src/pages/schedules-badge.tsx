// The number of trades waiting for the signed-in user (swaps offered to them, covers they could
// take), shown beside Schedules in the menu and on the Trades tab. Re-counted on each navigation.
import { useEffect, useState } from "react";
import { useRouter } from "../router";
import { schedules, type Trade } from "../schedules-api";
import { useUser } from "../session";

/** Trades the signed-in user can act on: swaps offered to them and covers others ask for. */
export function actionableTrades(trades: readonly Trade[], meId: string): Trade[] {
  return trades.filter(
    (t) =>
      t.state === "pending" &&
      t.requesterId !== meId &&
      (t.offeredTo === meId || (t.kind === "cover" && t.offeredTo === null)),
  );
}

export function TradesBadge() {
  const user = useUser();
  const { navigations } = useRouter();
  const [count, setCount] = useState(0);
  useEffect(() => {
    let alive = true;
    schedules.myTrades().then(
      (trades) => alive && setCount(actionableTrades(trades, user.id).length),
      // A badge is a hint: when it cannot be counted, it is simply not shown.
      () => alive && setCount(0),
    );
    return () => {
      alive = false;
    };
  }, [navigations, user.id]);
  if (count === 0) return null;
  return (
    <span className="badge badge-warning tab-count">
      {count}
      <span className="visually-hidden"> {count === 1 ? "trade" : "trades"} waiting for you</span>
    </span>
  );
}
