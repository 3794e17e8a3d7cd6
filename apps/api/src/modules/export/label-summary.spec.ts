import { summarizeLabels } from './label-summary';

describe('summarizeLabels', () => {
  it('has no majority and no agreement without labels', () => {
    expect(summarizeLabels([])).toEqual({ majority: null, agreement: null });
  });

  it('takes a single label as the majority, without an agreement figure', () => {
    expect(summarizeLabels([['cat']])).toEqual({ majority: ['cat'], agreement: null });
  });

  it('finds the most common answer and the share of labels that gave it', () => {
    expect(summarizeLabels([['dog'], ['cat'], ['dog']])).toEqual({ majority: ['dog'], agreement: 2 / 3 });
  });

  it('has no majority on a tie', () => {
    expect(summarizeLabels([['dog'], ['cat']])).toEqual({ majority: null, agreement: 0.5 });
  });

  it('compares multi-label answers as sets', () => {
    expect(summarizeLabels([['b', 'a'], ['a', 'b'], ['a']])).toEqual({
      majority: ['a', 'b'],
      agreement: 2 / 3,
    });
  });
});
