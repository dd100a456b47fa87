// Type-checked under node16 and nodenext: a CommonJS consumer (these imports compile to require).
import { createDokployClient, type DokployClient } from "@iac/sdk";
import { createFakeDokploy, type FakeDokploy } from "@iac/sdk/testing";
import { createRunner, type Runner, type RunnerSettings } from "@iac/server";
import { sign } from "@iac/sync";

export const fake: FakeDokploy = createFakeDokploy();
export const client: DokployClient = createDokployClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey });
export const signature: Promise<string> = sign("secret", "{}");
export const start = (settings: RunnerSettings): Promise<Runner> => createRunner({ settings, catchUp: false });
