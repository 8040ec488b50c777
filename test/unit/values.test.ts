import { parseDate, parseDatasetDate, ValueError } from '../../src/dataset/values';

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
