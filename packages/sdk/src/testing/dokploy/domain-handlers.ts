import type { DokployDomainRow } from "../types.js";
import type { DokployContext } from "./context.js";
import { type DokployProcedure, pickDefined } from "./procedure.js";
import { findCompose } from "./views.js";

// The keys of `apiCreateDomain`; zod strips every other key.
const CREATE_FIELDS = [
  "host",
  "path",
  "port",
  "customEntrypoint",
  "https",
  "applicationId",
  "certificateType",
  "customCertResolver",
  "composeId",
  "serviceName",
  "domainType",
  "previewDeploymentId",
  "internalPath",
  "stripPath",
  "middlewares",
  "forwardAuthEnabled",
] as const;

/** `domain.create`, `domain.byComposeId`. */
export function domainProcedures({ store }: DokployContext): DokployProcedure[] {
  const { state } = store;
  return [
    {
      method: "POST",
      name: "domain.create",
      run: (input: { host: string; composeId?: string | null }) => {
        if (typeof input.composeId === "string") {
          findCompose(state, input.composeId);
        }
        return store.seed.domain({
          ...(pickDefined(input, CREATE_FIELDS) as Partial<DokployDomainRow>),
          host: input.host,
        });
      },
    },
    {
      method: "GET",
      name: "domain.byComposeId",
      run: (input: { composeId: string }) =>
        [...state.domains.values()].filter((domain) => domain.composeId === input.composeId),
    },
  ];
}
