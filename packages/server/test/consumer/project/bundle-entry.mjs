// A program a bundler turns into one file: the runtime-agnostic packages, as a worker or a browser app uses them.
import { createDokployClient } from "@iac/sdk";
import { sign } from "@iac/sync";

const client = createDokployClient({ baseUrl: "http://dokploy.invalid", apiKey: "key" });
sign("It's a Secret to Everybody", "Hello, World!").then((signature) => {
  process.stdout.write(JSON.stringify({ signature, client: typeof client.GET }));
});
