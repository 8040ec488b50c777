import { COUNTRY_CODES } from '../dataset/countries';

/**
 * Country names as lists write them → ISO 3166-1 alpha-2. The English names come from ICU (Intl.DisplayNames, as
 * Node ships it) for every code the dataset format knows; OFAC's own forms are added: inverted names ("Korea,
 * North"), and the few names ICU spells otherwise.
 */
const OFAC_NAMES: Record<string, string> = {
  burma: 'MM',
  turkey: 'TR',
  'congo, democratic republic of the': 'CD',
  'congo, republic of the': 'CG',
  "cote d'ivoire": 'CI',
  'bosnia and herzegovina': 'BA',
  'macau': 'MO',
  'czech republic': 'CZ',
  'swaziland': 'SZ',
  'the gambia': 'GM',
  'gambia, the': 'GM',
  'bahamas, the': 'BS',
  'west bank': 'PS',
  'gaza': 'PS',
};

const key = (name: string) => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();

let byName: Map<string, string> | null = null;

function names(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(OFAC_NAMES));
  const display = new Intl.DisplayNames(['en'], { type: 'region' });
  for (const code of COUNTRY_CODES) {
    const name = display.of(code);
    if (!name || name === code) continue;
    byName.set(key(name), code);
    // "Myanmar (Burma)", "Congo - Kinshasa": each part names the country too when it names no other
    for (const part of name.split(/\s*[()]\s*|\s+-\s+/).filter((p) => p.length > 3)) if (!byName.has(key(part))) byName.set(key(part), code);
  }
  return byName;
}

/** The code of a country name ("Korea, North", "North Korea", "KP"); null when the name is not known. */
export function countryCodeOf(name: string): string | null {
  const text = name.trim();
  if (text === '') return null;
  if (/^[A-Za-z]{2}$/.test(text) && COUNTRY_CODES.has(text.toUpperCase())) return text.toUpperCase();
  const k = key(text);
  const found = names().get(k);
  if (found) return found;
  // OFAC inverts names: "Korea, North" is North Korea
  const comma = /^([^,]+),\s*(.+)$/.exec(k);
  return comma ? names().get(`${comma[2]} ${comma[1]}`) ?? null : null;
}
