import type { ServiceReport } from "./describe-service.js";

function block(label: string, values: readonly string[]): string[] {
  if (values.length === 0) {
    return [`  ${label.padEnd(8)} -`];
  }
  return values.map((value, index) => `  ${(index === 0 ? label : "").padEnd(8)} ${value}`);
}

/** `KEY=value`, the value JSON-quoted when it is empty or holds spaces, quotes or control characters. */
export function formatEnvEntry(key: string, value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be quoted.
  return `${key}=${value === "" || /[\s"'\\\u0000-\u001f]/.test(value) ? JSON.stringify(value) : value}`;
}

/** The services of a catalog as `iac-runner validate` prints them: one block per service. */
export function formatCatalog(services: readonly ServiceReport[]): string {
  return services
    .map((service) => {
      const how = service.syncable ? "synced on push" : service.mode === "manual" ? "deployed by hand" : "never synced";
      const { project, environment, compose } = service.dokploy;
      const lines = [
        `${service.name}  ${service.folder}  (layer ${service.layer}, ${service.mode}: ${how})`,
        ...block("compose", [service.compose]),
        ...block("files", service.files),
        ...block("mounts", service.mounts),
        ...block(
          "env",
          Object.entries(service.env).map(([key, value]) => formatEnvEntry(key, value)),
        ),
        ...block("vault", service.vault),
        ...block("dokploy", [
          `project ${project}, environment ${environment ?? "(the environment's)"}, compose ${compose}`,
        ]),
      ];
      return `${lines.join("\n")}\n`;
    })
    .join("\n");
}
