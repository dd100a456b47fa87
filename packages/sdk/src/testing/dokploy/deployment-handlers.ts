import type { DokployContext } from "./context.js";
import type { DokployProcedure } from "./procedure.js";
import { findCompose } from "./views.js";

/** `deployment.allByCompose`: the compose's deployment rows, newest first. */
export function deploymentProcedures({ store }: DokployContext): DokployProcedure[] {
  const { state } = store;
  return [
    {
      method: "GET",
      name: "deployment.allByCompose",
      poll: true,
      run: (input: { composeId: string }) => {
        const { composeId } = findCompose(state, input.composeId);
        return [...state.deployments.values()]
          .filter((row) => row.composeId === composeId)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },
    },
  ];
}
