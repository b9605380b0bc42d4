/**
 * A <select>'s value is a plain string while the signal behind it holds a union: the value when it is one of
 * `choices`, else null (a tampered option changes nothing).
 */
export function oneOf<T extends string>(choices: readonly T[], value: string): T | null {
  return (choices as readonly string[]).includes(value) ? (value as T) : null;
}
