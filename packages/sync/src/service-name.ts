const NUMBER_PREFIX = /^\d+\.(?=.)/;

/**
 * The service name of a folder name: its `<NN>.` ordering prefix is dropped so a renumbered folder stays the same
 * service (`01.postgres` → `postgres`, `postgres` → `postgres`). Only a leading number followed by a dot is a prefix,
 * so `my.service` keeps its dot.
 */
export function serviceName(folderName: string): string {
  return folderName.replace(NUMBER_PREFIX, "");
}
