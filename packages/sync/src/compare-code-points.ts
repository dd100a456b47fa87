/**
 * Orders two strings by Unicode code point, the order of Python's `sorted()` on `str` and of their UTF-8 bytes.
 * `Array.prototype.sort` compares UTF-16 code units instead, which puts astral characters (stored as surrogates
 * 0xD800–0xDFFF) before BMP characters 0xE000–0xFFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}

// Moves surrogates above 0xFFFF and shifts 0xE000–0xFFFF down to close the gap, so that code-unit order at the first
// difference becomes code-point order (both strings share everything before it).
function codePointRank(unit: number): number {
  if (unit < 0xd800) {
    return unit;
  }
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
