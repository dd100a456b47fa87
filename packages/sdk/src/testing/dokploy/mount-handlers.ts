import type { DokployMountRow } from "../types.js";
import type { DokployContext } from "./context.js";
import { type DokployProcedure, notFound, pickDefined } from "./procedure.js";
import { findCompose } from "./views.js";

// Columns `mounts.update` may change; the owning service's id stays as created.
const COLUMNS = ["type", "hostPath", "volumeName", "filePath", "content", "mountPath"] as const;

/** `mounts.create`, `update`, `remove`, `one`, `listByServiceId`. */
export function mountProcedures({ store }: DokployContext): DokployProcedure[] {
  const { state } = store;
  const findMount = (mountId: string): DokployMountRow => state.mounts.get(mountId) ?? notFound("Mount not found");

  return [
    {
      method: "POST",
      name: "mounts.create",
      run: (input: Pick<DokployMountRow, "type" | "mountPath"> & { serviceId: string; serviceType?: string }) => {
        const { serviceType, serviceId } = input;
        if (serviceType === "compose") {
          findCompose(state, serviceId);
        }
        // createMount stores the service id in the column of its type; without a type the mount has no service.
        return store.seed.mount({
          ...(pickDefined(input, COLUMNS) as Partial<DokployMountRow>),
          type: input.type,
          mountPath: input.mountPath,
          ...(serviceType
            ? { serviceType: serviceType as DokployMountRow["serviceType"], [`${serviceType}Id`]: serviceId }
            : {}),
        });
      },
    },
    {
      method: "POST",
      name: "mounts.update",
      run: (input: { mountId: string }) => Object.assign(findMount(input.mountId), pickDefined(input, COLUMNS)),
    },
    {
      method: "POST",
      name: "mounts.remove",
      run: (input: { mountId: string }) => {
        const mount = findMount(input.mountId);
        state.mounts.delete(mount.mountId);
        return mount;
      },
    },
    { method: "GET", name: "mounts.one", run: (input: { mountId: string }) => findMount(input.mountId) },
    {
      method: "GET",
      name: "mounts.listByServiceId",
      run: (input: { serviceType: string; serviceId: string }) => {
        const column = `${input.serviceType}Id` as keyof DokployMountRow;
        return [...state.mounts.values()].filter((mount) => mount[column] === input.serviceId);
      },
    },
  ];
}
