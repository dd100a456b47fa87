import type { DokployClient } from "@iac/sdk";
import { CONFIG_HASH_KEY, mergeEnv, parseDotenv } from "@iac/sync";
import type { Logger } from "../types.js";
import { dokployCall } from "./dokploy-call.js";

/** Options of {@link recordHash}. */
export interface RecordHashOptions {
  dokploy: DokployClient;
  composeId: string;
  /** The managed env values the deployed content was written with. */
  values: Readonly<Record<string, string>>;
  hash: string;
  logger: Logger;
}

/**
 * Records `hash` after a deploy ended `done`: re-reads the compose (the env may have been edited while the deploy
 * ran) and, when every managed value is still the one written before the deploy, saves the env with only
 * `IAC_CONFIG_HASH` added. When someone changed one of them meanwhile, it is unknown which value the deploy ran with,
 * so no hash is recorded (the next sync deploys again) and a warning names the keys. Returns whether it recorded.
 */
export async function recordHash(options: RecordHashOptions): Promise<boolean> {
  const { dokploy, composeId, values, hash, logger } = options;
  const after = await dokployCall("compose.one", () =>
    dokploy.GET("/compose.one", { params: { query: { composeId } } }),
  );
  const text = after.env ?? "";
  const current = new Map(parseDotenv(text).map((entry) => [entry.key, entry.value]));
  const changed = Object.entries(values)
    .filter(([key, value]) => current.get(key) !== value)
    .map(([key]) => key);
  if (changed.length > 0) {
    logger.warn(
      { keys: changed, hash },
      "managed env values changed while the deploy ran: no hash recorded, the next sync deploys again",
    );
    return false;
  }
  const env = mergeEnv(text, { [CONFIG_HASH_KEY]: hash }, { managedKeys: [CONFIG_HASH_KEY] });
  await dokployCall("compose.saveEnvironment", () =>
    dokploy.POST("/compose.saveEnvironment", { body: { composeId, env } }),
  );
  return true;
}
