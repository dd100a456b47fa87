import { isMap, isScalar, isSeq } from "yaml";
import type { KeyPath } from "./config-violation.js";

/** The start offset of a parsed YAML node, when it has a range. */
function startOf(node: unknown): number | undefined {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  return range?.[0];
}

/**
 * The offset in the text where the key or item at `path` starts: for a mapping entry its key, for a list item the item.
 * A path that leads to something absent (a required key left out) gives the offset of the deepest part that exists,
 * so a problem always points somewhere useful; undefined only when the document has no content.
 */
export function locateKeyPath(contents: unknown, path: KeyPath): number | undefined {
  let node = contents;
  let offset = startOf(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(key));
      if (pair === undefined) {
        break;
      }
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number" && key < node.items.length) {
      node = node.items[key];
      offset = startOf(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
