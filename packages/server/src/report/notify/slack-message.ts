import type { JobNotification, JobState, ServiceNotification } from "../../types.js";
import { clip, escapeMrkdwn, formatDuration, shortHash } from "./slack-text.js";

/** Text that Slack formats (bold, code, links). */
export type SlackText = { type: "mrkdwn"; text: string };

/** The Block Kit blocks a notification uses. */
export type SlackBlock =
  | { type: "section"; text: SlackText }
  | { type: "section"; fields: SlackText[] }
  | { type: "context"; elements: SlackText[] };

/** A Slack incoming-webhook body: `text` is the notification preview and fallback, `blocks` the message shown. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

// Slack's limits: 50 blocks per message and 3000 characters per section text.
// https://api.slack.com/reference/block-kit/blocks
const MAX_SERVICE_SECTIONS = 44;
const SECTION_CHARS = 3_000;
const ERROR_CHARS = 300;

const EMOJI: Record<JobState, string> = {
  succeeded: ":white_check_mark:",
  failed: ":x:",
  cancelled: ":no_entry_sign:",
  superseded: ":fast_forward:",
  queued: ":hourglass:",
  running: ":hourglass:",
};

const mrkdwn = (text: string): SlackText => ({ type: "mrkdwn", text });
const code = (text: string) => `\`${escapeMrkdwn(text)}\``;

function serviceLine(entry: ServiceNotification): string {
  const status = entry.status === null || entry.status === entry.state ? "" : ` (${entry.status})`;
  const parts = [`• *${escapeMrkdwn(entry.service)}* ${entry.state}${status}`];
  if (entry.hashBefore !== null || entry.hashAfter !== null) {
    parts.push(`${code(shortHash(entry.hashBefore))} → ${code(shortHash(entry.hashAfter))}`);
  }
  if (entry.durationMs !== null) {
    parts.push(formatDuration(entry.durationMs));
  }
  if (entry.error !== null) {
    parts.push(`${code(entry.error.code)}: ${escapeMrkdwn(clip(entry.error.message, ERROR_CHARS))}`);
  }
  return parts.join(" · ");
}

/** Service lines packed into as few sections as Slack's limits allow; those that do not fit are counted. */
function serviceSections(services: readonly ServiceNotification[]): SlackBlock[] {
  const texts: string[] = [];
  let shown = 0;
  for (const line of services.map(serviceLine)) {
    const last = texts.length - 1;
    if (last >= 0 && (texts[last] as string).length + 1 + line.length <= SECTION_CHARS) {
      texts[last] += `\n${line}`;
    } else if (texts.length < MAX_SERVICE_SECTIONS) {
      texts.push(line);
    } else {
      break;
    }
    shown += 1;
  }
  if (shown < services.length) {
    texts.push(`…and ${services.length - shown} more services`);
  }
  return texts.map((text): SlackBlock => ({ type: "section", text: mrkdwn(text) }));
}

function headline({ job }: JobNotification): string {
  const id = job.url === null ? code(job.id) : `<${job.url}|${escapeMrkdwn(job.id)}>`;
  const lines = [`${EMOJI[job.state]} *${escapeMrkdwn(job.env)}*: job ${id} *${job.state}*`];
  if (job.rollbackOf !== null) {
    lines.push(`Rolls back job ${code(job.rollbackOf)}`);
  }
  if (job.promotedFrom !== null) {
    lines.push(`Promotes ${code(job.promotedFrom)}`);
  }
  return lines.join("\n");
}

function facts({ job }: JobNotification): SlackBlock {
  const fields = [`*Commit*\n${code(job.commit.slice(0, 7))}`];
  if (job.tag !== null) {
    fields.push(`*Tag*\n${code(job.tag)}`);
  }
  fields.push(`*Trigger*\n${job.trigger}`);
  if (job.durationMs !== null) {
    fields.push(`*Duration*\n${formatDuration(job.durationMs)}`);
  }
  if (job.triggeredBy !== null) {
    fields.push(`*By*\n${escapeMrkdwn(job.triggeredBy)}`);
  }
  return { type: "section", fields: fields.map(mrkdwn) };
}

/** One channel message for a finished job: outcome, commit, tag, trigger, duration and a line per service. */
export function slackMessage(notification: JobNotification): SlackMessage {
  const { job } = notification;
  const what = job.tag ?? job.commit.slice(0, 7);
  return {
    text: escapeMrkdwn(`${job.env}: job ${job.id} ${job.state} (${what}, ${job.trigger})`),
    blocks: [
      { type: "section", text: mrkdwn(headline(notification)) },
      facts(notification),
      ...serviceSections(notification.services),
      { type: "context", elements: [mrkdwn(`Commit ${code(job.commit)} · job ${code(job.id)}`)] },
    ],
  };
}
