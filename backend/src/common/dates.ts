/** ISO text for the wire; null stays null. */
export function iso(date: Date | string | null | undefined): string | null {
  if (date === null || date === undefined) return null;
  const d = date instanceof Date ? date : new Date(date);
  return d.toISOString();
}
