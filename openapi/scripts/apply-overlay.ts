/**
 * A small applier for OpenAPI Overlay 1.0 documents.
 *
 * Supported subset:
 * - `target` is a JSONPath-lite expression: `$` followed by segments written as `.name`, `['name']`
 *   (needed for keys containing `/`, `.` or `{`) or the wildcard `.*` / `[*]`, which matches every key of an
 *   object or every element of an array. Filters, recursive descent and slices are not supported.
 * - `update` is merged into every matched node: objects merge recursively, arrays in the update are appended
 *   to existing arrays, everything else replaces the old value (Overlay 1.0 merge rules).
 * - `remove: true` deletes every matched node from its parent.
 *
 * Unlike the specification, an action whose target matches nothing is an error: our overlays are written
 * against a pinned subset, so a miss means the upstream document changed and the overlay must be reviewed.
 */

/** One overlay action. */
export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/** An OpenAPI Overlay 1.0 document. */
export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
}

type JsonObject = { [key: string]: unknown };

interface Match {
  parent: JsonObject | unknown[];
  key: string | number;
}

const WILDCARD: unique symbol = Symbol("wildcard");
type Segment = string | typeof WILDCARD;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a JSONPath-lite target into its segments. */
export function parseTarget(target: string): Segment[] {
  if (!target.startsWith("$")) {
    throw new Error(`[openapi] invalid overlay target ${JSON.stringify(target)}: expected it to start with "$"`);
  }
  const segments: Segment[] = [];
  const pattern = /\.(\*|[A-Za-z0-9_$-]+)|\[\*\]|\['((?:[^'\\]|\\.)*)'\]/y;
  let index = 1;
  while (index < target.length) {
    pattern.lastIndex = index;
    const found = pattern.exec(target);
    if (found === null) {
      throw new Error(
        `[openapi] invalid overlay target ${JSON.stringify(target)} at offset ${index}: expected ".name", "['name']" or "[*]"`,
      );
    }
    const [whole, dotted, quoted] = found;
    if (dotted !== undefined) {
      segments.push(dotted === "*" ? WILDCARD : dotted);
    } else if (quoted !== undefined) {
      segments.push(quoted.replace(/\\(.)/g, "$1"));
    } else {
      segments.push(WILDCARD);
    }
    index += whole.length;
  }
  return segments;
}

function childrenOf(node: unknown, segment: Segment): Match[] {
  if (Array.isArray(node)) {
    if (segment === WILDCARD) {
      return node.map((_, key) => ({ parent: node, key }));
    }
    const key = Number(segment);
    return Number.isInteger(key) && key >= 0 && key < node.length ? [{ parent: node, key }] : [];
  }
  if (isObject(node)) {
    if (segment === WILDCARD) {
      return Object.keys(node).map((key) => ({ parent: node, key }));
    }
    return Object.hasOwn(node, segment) ? [{ parent: node, key: segment }] : [];
  }
  return [];
}

function valueAt(match: Match): unknown {
  return Array.isArray(match.parent) ? match.parent[match.key as number] : match.parent[match.key as string];
}

/** Returns every node matched by `target` inside `holder.$`, with its parent and key. */
export function findTargets(holder: { $: unknown }, target: string): Match[] {
  let matches: Match[] = [{ parent: holder, key: "$" }];
  for (const segment of parseTarget(target)) {
    matches = matches.flatMap((match) => childrenOf(valueAt(match), segment));
  }
  return matches;
}

function merge(target: unknown, update: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(update)) {
    return [...target, ...structuredClone(update)];
  }
  if (isObject(target) && isObject(update)) {
    const merged: JsonObject = { ...target };
    for (const [key, value] of Object.entries(update)) {
      merged[key] = Object.hasOwn(merged, key) ? merge(merged[key], value) : structuredClone(value);
    }
    return merged;
  }
  return structuredClone(update);
}

/**
 * Applies `overlay` to a deep copy of `document` and returns the result; `document` is left untouched.
 * Throws when an action matches nothing or has neither `update` nor `remove`.
 */
export function applyOverlay<T>(document: T, overlay: Overlay): T {
  const root: { $: unknown } = { $: structuredClone(document) };
  for (const action of overlay.actions) {
    const matches = findTargets(root, action.target);
    if (matches.length === 0) {
      throw new Error(
        `[openapi] overlay "${overlay.info.title}": target ${action.target} matched no node, expected at least one`,
      );
    }
    if (action.remove === true) {
      // Remove from the back so array indexes of later matches stay valid.
      for (const match of matches.reverse()) {
        if (Array.isArray(match.parent)) {
          match.parent.splice(match.key as number, 1);
        } else {
          delete match.parent[match.key as string];
        }
      }
    } else if (action.update !== undefined) {
      for (const match of matches) {
        const next = merge(valueAt(match), action.update);
        if (Array.isArray(match.parent)) {
          match.parent[match.key as number] = next;
        } else {
          match.parent[match.key as string] = next;
        }
      }
    } else {
      throw new Error(
        `[openapi] overlay "${overlay.info.title}": action on ${action.target} has neither "update" nor "remove: true"`,
      );
    }
  }
  return root.$ as T;
}
