import { constrain, dayOf, interval, isoOf, startAntichain, touches } from '../../src/trace/engine/interval';

describe('intervals', () => {
  it('maps ISO days to integers and back', () => {
    expect(dayOf('1970-01-02')).toBe(1);
    expect(isoOf(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(interval(null, '2012-01-01')).toEqual({ from: -Infinity, to: dayOf('2012-01-01') });
  });

  it('closed intervals touching on one day intersect', () => {
    const a = [interval('2012-01-01', '2012-12-31')];
    expect(touches(a, [interval('2012-12-31', null)])).toBe(true);
    expect(touches(a, [interval('2013-01-01', null)])).toBe(false);
  });

  it('asOf bounds the start of the intersection: earlier labor taints later goods', () => {
    const asOf = startAntichain(dayOf('2019-06-01'));
    expect(touches(asOf, [interval('2012-01-01', '2012-12-31')])).toBe(true);
    expect(touches(asOf, [interval('2019-06-02', null)])).toBe(false);
  });

  it('keeps only maximal intervals across parallel rows', () => {
    const chain = constrain(startAntichain(null), [interval('2010-01-01', '2020-01-01'), interval('2012-01-01', '2013-01-01'), interval('2025-01-01', null)]);
    expect(chain).toEqual([interval('2010-01-01', '2020-01-01'), interval('2025-01-01', null)]);
  });
});
