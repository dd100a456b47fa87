import { webhookSecretsOf } from "./settings.js";
import { createSettingsSource, type SettingsSource } from "./settings-source.js";
import type { Logger, RunnerSettings, WebhookSecrets } from "./types.js";

/**
 * The webhook secrets of a settings source, current first, as the source stands at each call: the same list as long
 * as the source hands over the same settings, given at once while the source need not look at its file.
 */
export function webhookSecretsFrom(source: SettingsSource): WebhookSecrets {
  let settings: RunnerSettings | undefined;
  let secrets: readonly string[] = [];
  const secretsOf = (current: RunnerSettings): readonly string[] => {
    if (current !== settings) {
      settings = current;
      secrets = webhookSecretsOf(current);
    }
    return secrets;
  };
  return () => {
    const fresh = source.peek();
    return fresh === undefined ? source.load().then(secretsOf) : secretsOf(fresh);
  };
}

/**
 * The webhook secrets of `settings`, current first. When the settings name a secrets file, they follow it as
 * `iac-runner serve` does (through `createSettingsSource`): its `WEBHOOK_SECRET` and `WEBHOOK_SECRET_PREVIOUS` take
 * precedence and a rotation applies within a second (the file is looked at once a second at most); a rewrite that is invalid or a file that disappears keeps
 * the last valid secrets.
 *
 * @throws {SettingsError} when the named file cannot be read or its values are invalid.
 */
export async function followSecretsFile(settings: RunnerSettings, logger: Logger): Promise<WebhookSecrets> {
  if (settings.secretsFile === undefined) {
    const secrets = webhookSecretsOf(settings);
    return () => secrets;
  }
  // The source reads an environment with the file on top. Hand it the settings' own values of what is required and of
  // what the file's values are checked against (a Vault login in the file needs the address), so that any file that
  // is valid on top of the settings is valid here too.
  const { vault } = settings;
  const source = await createSettingsSource(
    {
      WEBHOOK_SECRET: settings.webhookSecret,
      WEBHOOK_SECRET_PREVIOUS: settings.webhookSecretPrevious,
      GIT_REPO_URL: settings.gitRepoUrl,
      DOKPLOY_URL: settings.dokploy.baseUrl,
      DOKPLOY_API_KEY: settings.dokploy.apiKey,
      VAULT_ADDR: vault?.address,
      VAULT_TOKEN: vault?.token,
      VAULT_ROLE_ID: vault?.appRole?.roleId,
      VAULT_SECRET_ID: vault?.appRole?.secretId,
      IAC_SECRETS_FILE: settings.secretsFile,
    },
    { logger },
  );
  return webhookSecretsFrom(source);
}
