// Plain code-unit ordering for text: stable across locales, so sorted output is the same on every machine.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
