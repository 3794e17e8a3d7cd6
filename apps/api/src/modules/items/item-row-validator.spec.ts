import { contentId, createRowValidator } from './item-row-validator';

describe('createRowValidator', () => {
  const vectors = createRowValidator({ inputKind: 'vector', shape: [2, 2] });

  it('accepts a vector of product(shape) finite numbers, with a string or integer id', () => {
    expect(vectors({ id: 7, vector: [1, 2, 3, 4.5] })).toEqual({
      externalId: '7',
      payload: { vector: [1, 2, 3, 4.5] },
    });
    expect(vectors({ id: 'x', vector: [0, 0, 0, 0] })).toMatchObject({ externalId: 'x' });
  });

  it('derives the external id from the content when there is none', () => {
    const checked = vectors({ vector: [1, 2, 3, 4] });
    expect(checked).toEqual({
      externalId: contentId({ vector: [1, 2, 3, 4] }),
      payload: { vector: [1, 2, 3, 4] },
    });
    expect(contentId({ vector: [1, 2, 3, 4] })).not.toEqual(contentId({ vector: [1, 2, 3, 5] }));
  });

  it('reads "id": null as no id, and refuses an empty id string', () => {
    expect(vectors({ id: null, vector: [1, 2, 3, 4] })).toMatchObject({
      externalId: contentId({ vector: [1, 2, 3, 4] }),
    });
    expect(vectors({ id: '', vector: [1, 2, 3, 4] })).toEqual({ reason: '"id" is empty' });
  });

  it.each([
    [{ vector: [1, 2, 3] }, /has 3 numbers; this project's shape \[2, 2\] needs 4/],
    [{ vector: [1, 2, 3, Infinity] }, /vector\[3\] is not a finite number/],
    [{ vector: [1, 2, null, 4] }, /vector\[2\]/],
    [{ vector: '1,2,3,4' }, /must be an array/],
    [{ id: 1.5, vector: [1, 2, 3, 4] }, /"id" must be a string or an integer/],
    [
      { id: Number.MAX_SAFE_INTEGER + 2, vector: [1, 2, 3, 4] },
      /"id" is an integer too large to read exactly .*as a string/,
    ],
    [{ id: 'x'.repeat(257), vector: [1, 2, 3, 4] }, /longer than 256/],
    [{ text: 'hi' }, /takes vector items \("vector"\), not "text"/],
    [{}, /missing "vector"/],
    [[1, 2, 3, 4], /expected an object/],
  ])('rejects %j', (row, reason) => {
    expect(vectors(row)).toEqual({ reason: expect.stringMatching(reason) });
  });

  it('accepts only well-formed http(s) URLs for image projects', () => {
    const images = createRowValidator({ inputKind: 'image', shape: null });
    expect(images({ url: 'https://example.com/a.png?x=1' })).toMatchObject({
      payload: { url: 'https://example.com/a.png?x=1' },
    });
    for (const url of ['ftp://example.com/a', 'example.com/a.png', 'javascript:alert(1)', 'http://']) {
      expect(images({ url })).toEqual({
        reason: expect.stringMatching(/not a well-formed http\(s\) URL|"url"/),
      });
    }
  });

  it('rejects empty texts', () => {
    const texts = createRowValidator({ inputKind: 'text', shape: null });
    expect(texts({ text: ' a ' })).toMatchObject({ payload: { text: ' a ' } });
    expect(texts({ text: ' \n' })).toEqual({ reason: '"text" is empty' });
  });
});
