import { classifyDokployError, createDokployClient } from "@iac/sdk";
import type { RunnerSettings } from "../../types.js";
import { describeFetchFailure } from "../describe-fetch-failure.js";
import type { CheckResult, DoctorCheck } from "./check-result.js";

const NAME = "Dokploy";

/**
 * `Dokploy`: the API answers and accepts the key for a read the runner needs (`project.all`). Dokploy answers 401
 * both for a wrong key and for one without access, so the fix names both.
 */
export function checkDokploy(settings: RunnerSettings, timeoutMs: number): DoctorCheck {
  const { baseUrl, apiKey } = settings.dokploy;
  return {
    name: NAME,
    needs: ["DOKPLOY_URL", "DOKPLOY_API_KEY"],
    async run(signal): Promise<CheckResult[]> {
      const client = createDokployClient({ baseUrl, apiKey, timeoutMs, retry: false });
      const answer = await client.GET("/project.all", { signal }).then(
        (value) => ({ reached: true as const, value }),
        (reason: unknown) => ({ reached: false as const, reason }),
      );
      if (!answer.reached) {
        return [
          {
            name: NAME,
            status: "fail",
            message: `cannot reach ${baseUrl}: ${describeFetchFailure(answer.reason, timeoutMs)}`,
            fix: "check DOKPLOY_URL and that Dokploy is up and reachable from here",
          },
        ];
      }
      const { data, error, response } = answer.value;
      if (response.status === 401 || response.status === 403) {
        return [
          {
            name: NAME,
            status: "fail",
            message: `${baseUrl} refused the API key (HTTP ${response.status})`,
            fix: "DOKPLOY_API_KEY is wrong, revoked, or lacks access: create a key under Settings → Profile → API/CLI",
          },
        ];
      }
      if (error !== undefined || data === undefined) {
        const info = classifyDokployError(error, response);
        return [
          {
            name: NAME,
            status: "fail",
            message: `${baseUrl}/api/project.all answered HTTP ${response.status}: ${info.message}`,
            fix:
              response.status === 404
                ? "DOKPLOY_URL does not point at Dokploy (use its base URL, with or without /api)"
                : "check Dokploy's own logs and health",
          },
        ];
      }
      return [
        { name: NAME, status: "ok", message: `${baseUrl} accepts the API key (${data.length} projects visible)` },
      ];
    },
  };
}
