import type { ReportMemo } from "../../types.js";

/** What the notify reporter keeps for a job: the targets (by key) that got the message or refused it for good. */
export type NotifyMemo = { sent: string[]; refused: string[] };

function keys(value: ReportMemo | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The memo of an earlier attempt; anything else (null before the first) is an empty one. */
export function readNotifyMemo(memo: ReportMemo): NotifyMemo {
  if (memo === null || typeof memo !== "object" || Array.isArray(memo)) {
    return { sent: [], refused: [] };
  }
  return { sent: keys(memo["sent"]), refused: keys(memo["refused"]) };
}
