import type { Cell } from "./format-table.js";
import { formatTable } from "./format-table.js";
import type { ServicePreview } from "./preview-service.js";

const DECISIONS: Readonly<Record<string, string>> = {
  missing: "not deployed yet",
  no_hash: "no config hash stored in Dokploy",
  hash_changed: "config changed",
  up_to_date: "up to date",
  legacy_match: "up to date (original runner's hash)",
};

const STYLES: Readonly<Record<string, Cell["style"]>> = { create: "green", update: "yellow", skip: "dim" };

/** `v2:` and the first 12 hex digits (a legacy 12-hex hash as it is), or `-` for none. */
export function shortHash(hash: string | null): string {
  if (hash === null) {
    return "-";
  }
  return hash.startsWith("v2:") ? hash.slice(0, 15) : hash;
}

/** What changed in one service since its deployed commit, as one sentence; undefined when there is nothing to say. */
export function describeChanges(preview: ServicePreview): string | undefined {
  if (preview.error !== null || preview.action === "skip" || preview.action === null) {
    return undefined;
  }
  const { changes } = preview;
  if (changes === null) {
    return preview.note ?? undefined;
  }
  const since = `since ${preview.deployed?.commit?.slice(0, 12) ?? "the deployed commit"}`;
  if (changes.outsideGit) {
    return `no file or env key changed ${since}: Vault secrets (or something else not in git) changed`;
  }
  const parts = [
    ...(changes.compose ? ["compose modified"] : []),
    ...changes.files.map((file) => `${file.name} ${file.change}`),
    ...changes.env.map((entry) => `env ${entry.name} ${entry.change}`),
  ];
  return parts.length === 0 ? `no file or env key changed ${since}` : `${since}: ${parts.join(", ")}`;
}

/** The plan as a table (one row per service), then what changed in each service that would deploy. */
export function formatPlan(previews: readonly ServicePreview[], colors: boolean): string {
  const rows = previews.map((preview): Cell[] => {
    if (preview.error !== null) {
      return [
        { text: preview.service },
        { text: "error", style: "red" },
        { text: shortHash(preview.storedHash) },
        { text: shortHash(preview.hash) },
        { text: `${preview.error.code}: ${preview.error.message}`, style: "red" },
      ];
    }
    const action = preview.action ?? "error";
    return [
      { text: preview.service },
      { text: action, style: STYLES[action] },
      { text: shortHash(preview.storedHash) },
      { text: shortHash(preview.hash) },
      { text: DECISIONS[preview.decision?.code ?? ""] ?? preview.decision?.message ?? "" },
    ];
  });
  const table = formatTable(["SERVICE", "ACTION", "STORED", "NEW", "REASON"], rows, colors);
  const details = previews.flatMap((preview) => {
    const changes = describeChanges(preview);
    return changes === undefined ? [] : [`  ${preview.service}: ${changes}\n`];
  });
  return details.length === 0 ? table : `${table}\n${details.join("")}`;
}
