/** A full 40-hex commit SHA (SHA-1 object format). */
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

const RESERVED = new Set(["~", "^", ":", "?", "*", "[", "\\"]);

/** Whether `value` is a full 40-hex commit SHA. */
export function isCommitSha(value: string): boolean {
  return COMMIT_SHA.test(value);
}

/** Whether `value` contains a space or an ASCII control character (which includes line breaks and NUL). */
export function hasControlOrSpace(value: string): boolean {
  return [...value].some((char) => char.charCodeAt(0) <= 0x20 || char.charCodeAt(0) === 0x7f);
}

/**
 * Why `ref` is not a safe ref name, or undefined when it is. Follows `git check-ref-format --allow-onelevel` and also
 * rejects option-like names, so a ref can never be read by git as a flag.
 */
export function refNameProblem(ref: string): string | undefined {
  if (ref.length === 0) {
    return "is empty";
  }
  if (ref.length > 255) {
    return "is longer than 255 characters";
  }
  if (ref.startsWith("-")) {
    return 'starts with "-"';
  }
  if (ref.includes("..")) {
    return 'contains ".."';
  }
  // Control characters, space and the characters git reserves for revision syntax and globs.
  if (hasControlOrSpace(ref) || [...ref].some((char) => RESERVED.has(char))) {
    return "contains a space, a control character or one of ~ ^ : ? * [ \\";
  }
  if (ref.includes("@{") || ref === "@") {
    return 'contains "@{" or is "@"';
  }
  if (ref.startsWith("/") || ref.endsWith("/") || ref.includes("//")) {
    return 'has an empty path component ("/" at either end or "//")';
  }
  if (ref.endsWith(".")) {
    return 'ends with "."';
  }
  for (const part of ref.split("/")) {
    if (part.startsWith(".") || part.endsWith(".lock")) {
      return 'has a component that starts with "." or ends with ".lock"';
    }
  }
  return undefined;
}
