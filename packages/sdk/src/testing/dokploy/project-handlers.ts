import type { DokployProjectRow } from "../types.js";
import type { DokployContext } from "./context.js";
import { type DokployProcedure, notFound, pickDefined } from "./procedure.js";
import { environmentDetail, environmentSummary, environmentsOf } from "./views.js";

/** `project.all`, `project.one`, `project.create`, `project.update`. */
export function projectProcedures({ store }: DokployContext): DokployProcedure[] {
  const { state } = store;
  const findProject = (projectId: string): DokployProjectRow =>
    state.projects.get(projectId) ?? notFound("Project not found");

  return [
    {
      method: "GET",
      name: "project.all",
      poll: true,
      run: () =>
        [...state.projects.values()]
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .map((project) => ({
            ...project,
            environments: environmentsOf(state, project.projectId).map((env) => environmentSummary(state, env)),
            projectTags: [],
          })),
    },
    {
      method: "GET",
      name: "project.one",
      run: (input: { projectId: string }) => {
        const project = findProject(input.projectId);
        return {
          ...project,
          environments: environmentsOf(state, project.projectId).map((env) => environmentDetail(state, env)),
          projectTags: [],
        };
      },
    },
    {
      method: "POST",
      name: "project.create",
      run: (input: { name: string; description?: string | null; env?: string }) =>
        store.seed.project({ name: input.name, description: input.description ?? null, env: input.env ?? "" }),
    },
    {
      method: "POST",
      name: "project.update",
      run: (input: { projectId: string }) =>
        Object.assign(findProject(input.projectId), pickDefined(input, ["name", "description", "env"])),
    },
  ];
}
