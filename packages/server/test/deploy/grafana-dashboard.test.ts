import { describe, expect, it } from "vitest";
import { createHealthMonitor } from "../../src/health/create-health-monitor.js";
import { createRunnerMetrics } from "../../src/metrics/create-runner-metrics.js";
import { memoryStore } from "../helpers/runner-fixture.js";
import { metricTypes } from "../metrics/parse-exposition.js";
import { readRepoFile } from "./repo-files.js";

interface Panel {
  title: string;
  type: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Array<{ expr: string; refId: string }>;
}

const dashboard = JSON.parse(readRepoFile("examples/grafana/iac-runner-dashboard.json")) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string }> };
};
const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));

/** The metric families a runner exposes, with their types (`histogram` series carry `_bucket`, `_sum`, `_count`). */
async function exposedFamilies(): Promise<Record<string, string>> {
  const metrics = createRunnerMetrics({
    store: await memoryStore(),
    git: { isAncestor: async () => false },
    health: createHealthMonitor({ checks: {} }),
    env: "staging",
    now: Date.now,
  });
  return metricTypes(await metrics.expose());
}

/** The family of a series name: a histogram's `_bucket`, `_sum` and `_count` series belong to it. */
function familyOf(series: string, families: Record<string, string>): string | undefined {
  if (series in families) {
    return series;
  }
  const base = series.replace(/_(bucket|sum|count)$/, "");
  return families[base] === "histogram" ? base : undefined;
}

describe("examples/grafana/iac-runner-dashboard.json", () => {
  it("is a Grafana dashboard over a Prometheus data source chosen on import, with panels that do not overlap", () => {
    expect(dashboard).toMatchObject({ uid: "iac-runner", title: "iac-runner" });
    expect(dashboard.templating.list.map(({ name, type }) => [name, type])).toEqual([
      ["datasource", "datasource"],
      ["job", "query"],
    ]);
    const cells = new Set<string>();
    for (const panel of dashboard.panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's reference to the datasource variable
      expect(panel.datasource, panel.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      expect(new Set(panel.targets.map((target) => target.refId)).size, panel.title).toBe(panel.targets.length);
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row += 1) {
        for (let column = x; column < x + w; column += 1) {
          expect(cells.has(`${row}:${column}`), `${panel.title} overlaps another panel`).toBe(false);
          cells.add(`${row}:${column}`);
        }
      }
    }
  });

  it("queries only metrics the runner exposes, each series filtered by the job variable", async () => {
    const families = await exposedFamilies();
    for (const expr of expressions) {
      const series = [...expr.matchAll(/\b(iac_runner_[a-z_]+)(\{[^}]*\})?/g)];
      expect(series.length, expr).toBeGreaterThan(0);
      for (const [, name = "", selector = ""] of series) {
        expect(familyOf(name, families), `${name} in ${expr}`).toBeDefined();
        expect(selector, `${name} in ${expr}`).toContain('job="$job"');
      }
      // Balanced parentheses: a typo in an expression fails here rather than in Grafana.
      let depth = 0;
      for (const char of expr) {
        depth += char === "(" ? 1 : char === ")" ? -1 : 0;
        expect(depth, expr).toBeGreaterThanOrEqual(0);
      }
      expect(depth, expr).toBe(0);
    }
  });

  it("shows every metric the runner exposes", async () => {
    const families = await exposedFamilies();
    const used = new Set(
      expressions.flatMap((expr) =>
        [...expr.matchAll(/\biac_runner_[a-z_]+/g)].map(([name]) => familyOf(name, families)),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(families).sort());
  });
});
