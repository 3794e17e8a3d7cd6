import { buildDataset, fitNormaliser, targetOf, type ModelSpec } from './data';

const spec: ModelSpec = { shape: [2], classes: ['cat', 'dog', 'bird'], multiLabel: false };

describe('training data', () => {
  it('scales inputs to [0, 1] with the training range (digits: 0..16)', () => {
    expect(
      fitNormaliser([
        [0, 16],
        [8, 4],
      ]),
    ).toEqual({ offset: 0, scale: 16 });
    expect(fitNormaliser([[3, 3]])).toEqual({ offset: 3, scale: 1 });
    const dataset = buildDataset([{ itemId: 1, input: [0, 16], values: [['dog']] }], spec, {
      offset: 0,
      scale: 16,
    });
    expect(Array.from(dataset.inputs)).toEqual([0, 1]);
  });

  it('trains single-label items on the majority label, ties to the class listed first', () => {
    expect(Array.from(targetOf([['dog'], ['cat'], ['dog']], spec)!)).toEqual([0, 1, 0]);
    expect(Array.from(targetOf([['dog'], ['cat']], spec)!)).toEqual([1, 0, 0]);
    expect(targetOf([['unicorn']], spec)).toBeNull();
  });

  it('trains multi-label items on every class at least half of the labellers chose', () => {
    const multi = { ...spec, multiLabel: true };
    expect(Array.from(targetOf([['cat', 'dog'], ['dog']], multi)!)).toEqual([1, 1, 0]);
    expect(Array.from(targetOf([['cat', 'dog'], ['dog'], ['dog', 'bird']], multi)!)).toEqual([0, 1, 0]);
  });

  it('leaves out items whose vector does not fit the shape and counts the classes present', () => {
    const dataset = buildDataset(
      [
        { itemId: 1, input: [1, 2], values: [['cat']] },
        { itemId: 2, input: [1, 2, 3], values: [['dog']] },
        { itemId: 3, input: [2, 2], values: [['cat']] },
      ],
      spec,
      { offset: 0, scale: 1 },
    );
    expect(dataset.itemIds).toEqual([1, 3]);
    expect(dataset.classesPresent).toBe(1);
  });
});
