// Type-checked under moduleResolution node (node10): the test kit's subpath resolves through typesVersions.
import { createDokployClient } from "@iac/sdk";
import { createFakeDokploy, type FakeDokploy } from "@iac/sdk/testing";

export const fake: FakeDokploy = createFakeDokploy();
export const client: ReturnType<typeof createDokployClient> = createDokployClient({
  baseUrl: fake.baseUrl,
  apiKey: fake.apiKey,
});
