/**
 * Zone abbreviations real feeds put in RFC 822 dates that JavaScript's Date does not read (it
 * knows only UT/GMT/Z and the North American ones). Ambiguous ones (IST, CST outside America)
 * are left out: a wrong offset would be worse than none.
 */
const ZONES: Record<string, string> = {
  JST: '+0900',
  KST: '+0900',
  HKT: '+0800',
  SGT: '+0800',
  AWST: '+0800',
  ACST: '+0930',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
  WET: '+0000',
  WEST: '+0100',
  BST: '+0100',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  HST: '-1000',
  AKST: '-0900',
  AKDT: '-0800',
};

const TRAILING_ZONE = /\b([A-Z]{3,4})\s*$/;

/** The first readable date among the candidates, as ISO 8601 UTC; undefined when none is. */
export function isoDate(candidates: readonly string[]): string | undefined {
  for (const candidate of candidates) {
    const raw = candidate.trim();
    if (raw === '') continue;
    let time = Date.parse(raw);
    if (Number.isNaN(time)) {
      const zone = TRAILING_ZONE.exec(raw)?.[1];
      const offset = zone === undefined ? undefined : ZONES[zone];
      if (offset !== undefined) time = Date.parse(raw.replace(TRAILING_ZONE, offset));
    }
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  return undefined;
}
