import { serviceName } from "./service-name.js";
import type { LayerMode } from "./types.js";

/** Where a repository path sits relative to the configured layers. */
export type PathLocation =
  | { kind: "outside" }
  /** A file directly inside a layer folder, e.g. `platform/README.md`. */
  | { kind: "layer-file"; layer: string; mode: LayerMode }
  | { kind: "service-folder"; layer: string; mode: LayerMode; folder: string; name: string };

/**
 * Builds a function that places a repository path in its layer and service folder with one Map lookup per leading
 * directory of the path, whatever the number of layers.
 */
export function createPathLocator(layers: Readonly<Record<string, LayerMode>>): (path: string) => PathLocation {
  const modes = new Map(Object.entries(layers));
  return (path) => {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const layer = path.slice(0, slash);
      const mode = modes.get(layer);
      if (mode === undefined) {
        continue;
      }
      const folderEnd = path.indexOf("/", slash + 1);
      if (folderEnd === -1) {
        return { kind: "layer-file", layer, mode };
      }
      const folder = path.slice(0, folderEnd);
      return { kind: "service-folder", layer, mode, folder, name: serviceName(path.slice(slash + 1, folderEnd)) };
    }
    return { kind: "outside" };
  };
}
