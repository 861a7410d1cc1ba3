// The one ordering of ids used wherever output must not depend on insertion order.

/** Plain UTF-16 code unit order, not locale order, so results are identical on every machine. */
export function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
