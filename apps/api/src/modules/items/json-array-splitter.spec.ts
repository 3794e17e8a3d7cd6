import { JsonArraySplitter, type JsonElement } from './json-array-splitter';

function split(text: string, chunkSize = text.length, maxElementChars = 1000): JsonElement[] {
  const splitter = new JsonArraySplitter(maxElementChars);
  const elements: JsonElement[] = [];
  for (let i = 0; i < text.length; i += chunkSize)
    elements.push(...splitter.push(text.slice(i, i + chunkSize)));
  splitter.end();
  return elements;
}

describe('JsonArraySplitter', () => {
  const document = ` [ {"id": "a,]", "vector": [1, [2]]}, "str\\"ing]", 42 ,true,{"t":"}{"} ] `;
  const expected = ['{"id": "a,]", "vector": [1, [2]]}', '"str\\"ing]"', '42', 'true', '{"t":"}{"}'];

  it('splits top-level elements, ignoring brackets and commas inside strings', () => {
    expect(split(document).map((element) => element.text)).toEqual(expected);
  });

  it('gives the same elements whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 7]) {
      expect(split(document, size).map((element) => element.text)).toEqual(expected);
    }
  });

  it('numbers rows from 1 and hands over an oversized element as null', () => {
    expect(split(`[{"a":"${'x'.repeat(50)}"}, 1]`, 5, 20)).toEqual([
      { row: 1, text: null },
      { row: 2, text: '1' },
    ]);
  });

  it('accepts an empty array', () => {
    expect(split(' [ ] ')).toEqual([]);
  });

  it.each([
    ['{"a": 1}', /must be an array/],
    ['[1, 2', /ends early, after row 1/],
    ['[1, 2,]', /trailing comma after row 2/],
    ['[1] [2]', /after the closing/],
    ['[{"a":1} {"b":2}]', /expected "," or "]" after row 1/],
    ['', /empty/],
  ])('rejects %j as a whole', (text, message) => {
    expect(() => split(text)).toThrow(message);
  });
});
