import type { PullPlan, PullServicePlan } from "../types.js";

/** Paths listed per service before the rest are counted. */
const MAX_PATHS = 5;
/** Problems listed before the rest are counted. */
const MAX_PROBLEMS = 10;

const ACTIONS: Record<PullServicePlan["action"], string> = {
  deploy: "deploy",
  unchanged: "unchanged",
  unknown: "could not compare",
};

/**
 * The hidden line the runner's plan comment starts with, one per environment, so runners deploying different
 * environments of one repository each keep their own comment.
 */
export function planMarker(env: string): string {
  return `<!-- iac-runner:plan:${env} -->`;
}

/** Text in a table cell: no line breaks, no column separators. */
function cell(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
}

/** Text as inline code, which GitHub shows as is (no mention, link or HTML; a backtick cannot end it early). */
function code(text: string): string {
  return `\`${cell(text).replace(/`/g, "'")}\``;
}

function pathsCell(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_PATHS).map(code).join(", ");
  return paths.length > MAX_PATHS ? `${shown} and ${paths.length - MAX_PATHS} more` : shown;
}

function summary(plan: PullPlan): string {
  const deploys = plan.services.filter((service) => service.action === "deploy").length;
  const unknown = plan.services.filter((service) => service.action === "unknown").length;
  const counted = `${deploys} of ${plan.services.length} changed service${plan.services.length === 1 ? "" : "s"}`;
  return `Merging would redeploy ${counted}${unknown > 0 ? ` (${unknown} could not be compared)` : ""}.`;
}

/**
 * The Markdown of a plan comment: the marker, the head commit, and a table of the services the pull request changes
 * with what merging it would do to each, or the configuration problems at the head. It holds names, paths and the
 * runner's own reasons: never a secret value.
 */
export function formatPlanComment(plan: PullPlan): string {
  const lines = [
    planMarker(plan.env),
    `### iac-runner plan for \`${cell(plan.env)}\``,
    "",
    `Planned at ${plan.head}.`,
    "",
  ];
  if (plan.problems.length > 0) {
    lines.push(`:x: The configuration at this commit is invalid; merging would deploy nothing until it is fixed:`, "");
    for (const problem of plan.problems.slice(0, MAX_PROBLEMS)) {
      lines.push(`- ${code(problem)}`);
    }
    if (plan.problems.length > MAX_PROBLEMS) {
      lines.push(`- and ${plan.problems.length - MAX_PROBLEMS} more (\`iac-runner validate\` lists them all)`);
    }
    return `${lines.join("\n")}\n`;
  }
  if (plan.services.length === 0) {
    lines.push("This pull request changes no service: merging would redeploy nothing.");
    return `${lines.join("\n")}\n`;
  }
  lines.push(summary(plan), "", "| Service | Action | Why (changed paths) | Detail |", "| --- | --- | --- | --- |");
  for (const service of plan.services) {
    lines.push(
      `| ${cell(service.service)} | ${ACTIONS[service.action]} | ${pathsCell(service.paths)} | ${cell(service.detail)} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
