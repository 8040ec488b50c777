import fc from 'fast-check';
import {
  FORMULA_CHARACTERS, neutralizeFormula, parseDate, parseDatasetDate, parseNumber, restoreFormula, shown, ValueError,
} from '../../src/dataset/values';

describe('dataset dates (DATA-FORMAT.md: YYYY-MM-DD, YYYY-MM, YYYY)', () => {
  it.each([
    ['2023-05-17', false, '2023-05-17', '2023-05-17'],
    ['2023-05', true, '2023-05-01', '2023-05-31'],
    ['2024-02', true, '2024-02-01', '2024-02-29'], // leap year
    ['2023-02', true, '2023-02-01', '2023-02-28'],
    ['2100-02', true, '2100-02-01', '2100-02-28'], // not a leap year
    ['2023-12', true, '2023-12-01', '2023-12-31'],
    ['2023', true, '2023-01-01', '2023-12-31'],
    ['0050-02', true, '0050-02-01', '0050-02-28'], // two-digit years are years, not 19xx
    ['0048-02-29', false, '0048-02-29', '0048-02-29'],
  ])('%s covers its first to its last day', (text, partial, first, last) => {
    expect(parseDatasetDate(text)).toEqual({ text, partial, first, last });
  });

  it.each([
    ['2023-13', "'2023-13' is not a month (expected YYYY-MM with MM 01..12)"],
    ['2023-00', "'2023-00' is not a month (expected YYYY-MM with MM 01..12)"],
    ['20234', "'20234' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"],
    ['2023-1', "'2023-1' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"],
    ['23', "'23' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"],
    ['2023/05', "'2023/05' is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"],
    ['2023-02-29', "'2023-02-29' is not a calendar date"],
  ])('refuses %s', (text, message) => {
    expect(() => parseDatasetDate(text)).toThrow(ValueError);
    expect(() => parseDatasetDate(text)).toThrow(message);
  });

  it('the API Date stays a full calendar day', () => {
    expect(parseDate('2023-05-17')).toBe('2023-05-17');
    expect(() => parseDate('2023-05')).toThrow(ValueError);
    expect(() => parseDate('2023')).toThrow(ValueError);
  });
});

describe('spreadsheet formula neutralization (docs/data-format.md, "Spreadsheet formulas")', () => {
  const formulaStart = (s: string) => s.length > 0 && FORMULA_CHARACTERS.has(s[0]);
  /** Strings that stress the rule: runs of apostrophes, formula characters, Hangul, Chinese, astral characters. */
  const tricky = fc.array(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', 'a', ' ', '한', '中', '𝄞', '"', ','), { maxLength: 12 })
    .map((parts) => parts.join(''));
  const anyText = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), tricky);

  it('restoreFormula(neutralizeFormula(s)) === s for every string', () => {
    fc.assert(fc.property(anyText, (s) => restoreFormula(neutralizeFormula(s)) === s), { numRuns: 5000 });
  });

  it('an exported cell never begins with a formula character', () => {
    fc.assert(fc.property(anyText, (s) => !formulaStart(neutralizeFormula(s))), { numRuns: 5000 });
  });

  it('changes only cells that would be formulas (or that look like neutralized ones)', () => {
    fc.assert(fc.property(anyText, (s) => {
      const apostrophes = /^'*/.exec(s)![0].length;
      const looksNeutral = formulaStart(s.slice(apostrophes));
      return looksNeutral ? neutralizeFormula(s) === `'${s}` : neutralizeFormula(s) === s;
    }), { numRuns: 5000 });
  });

  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+82 2 123', "'+82 2 123"],
    ['-조선', "'-조선"],
    ['@中国', "'@中国"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"],
    ["''-", "'''-"],
    ["'plain", "'plain"],
    ["'", "'"],
    ['평양 공장', '평양 공장'],
    ['丹东服装厂', '丹东服装厂'],
    ['', ''],
  ])('%j is written %j', (text, cell) => {
    expect(neutralizeFormula(text)).toBe(cell);
    expect(restoreFormula(cell)).toBe(text);
  });
});

describe('numbers are plain decimals', () => {
  it.each(['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', ' ', '1,5', '1 000', '--1', 'e5', '.'])('refuses %j', (raw) => {
    expect(() => parseNumber(raw)).toThrow(ValueError);
  });
  it.each([['16', 16], ['-12.5', -12.5], ['+3', 3], ['0.5', 0.5], ['.5', 0.5], ['2.', 2], ['1e-7', 1e-7], ['1E+21', 1e21]])('reads %j as %d', (raw, v) => {
    expect(parseNumber(raw)).toBe(v);
  });
  it('reads back every number JavaScript writes (what export writes)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => Object.is(parseNumber(String(v)), v) || (v === 0 && parseNumber(String(v)) === 0)));
  });
});

describe('values quoted in messages', () => {
  it('are shortened and show control characters', () => {
    expect(shown('x'.repeat(100))).toBe(`'${'x'.repeat(40)}…'`);
    expect(shown('a\u0000b\tc')).toBe("'a\\u0000b\\u0009c'");
    expect(shown('𝄞'.repeat(41))).toBe(`'${'𝄞'.repeat(40)}…'`);
  });
});
