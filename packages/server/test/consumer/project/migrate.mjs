// What a repository written for the original runner gets from the installed @iac/sync: the environment values of a
// service without an iac.config.yaml, and the problems of an iac.config.yaml whose globs use other dialects' syntax.
import { discoverServices, environmentVariables, parseConfig, validateConfigText } from "@iac/sync";

const catalog = discoverServices(["platform/01.postgres/compose.yaml"], parseConfig(""));
const [postgres] = catalog.services;
const environments = Object.fromEntries(
  ["production", "staging"].map((env) => [env, environmentVariables(env, catalog.config.environments[env], postgres)]),
);

const globs = ["platform/[ab]*/compose.yaml", "libs/@(a|b)/**", "!libs/tmp/**"];
const problems = globs.map((glob) => {
  const validation = validateConfigText(`shared:\n  - paths: ["${glob}"]\n    services: "*"\n`);
  return validation.ok ? "accepted" : validation.problems.map(({ keyPath, message }) => `${keyPath}: ${message}`);
});

process.stdout.write(JSON.stringify({ environments, problems }));
