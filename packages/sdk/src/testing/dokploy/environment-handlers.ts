import type { DokployContext } from "./context.js";
import { type DokployProcedure, notFound, pickDefined } from "./procedure.js";
import { environmentDetail, environmentsOf, findEnvironment } from "./views.js";

/** `environment.create`, `environment.one`, `environment.byProjectId`, `environment.update`. */
export function environmentProcedures({ store }: DokployContext): DokployProcedure[] {
  const { state } = store;
  return [
    {
      method: "POST",
      name: "environment.create",
      run: (input: { name: string; projectId: string; description?: string }) => {
        if (!state.projects.has(input.projectId)) {
          notFound("Project not found");
        }
        return store.seed.environment({
          name: input.name,
          projectId: input.projectId,
          description: input.description ?? null,
        });
      },
    },
    {
      method: "GET",
      name: "environment.one",
      run: (input: { environmentId: string }) => {
        const environment = findEnvironment(state, input.environmentId);
        return { ...environmentDetail(state, environment), project: state.projects.get(environment.projectId) };
      },
    },
    {
      method: "GET",
      name: "environment.byProjectId",
      run: (input: { projectId: string }) =>
        environmentsOf(state, input.projectId).map((environment) => environmentDetail(state, environment)),
    },
    {
      method: "POST",
      name: "environment.update",
      run: (input: { environmentId: string }) =>
        Object.assign(
          findEnvironment(state, input.environmentId),
          pickDefined(input, ["name", "description", "env", "projectId"]),
        ),
    },
  ];
}
