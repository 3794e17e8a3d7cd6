import { parse } from 'csv-parse/sync';
import { CsvRecordSplitter, type CsvRecord } from './csv-record-splitter';

/** All records of `text` fed in pieces of `size` characters. */
function split(text: string, size = text.length || 1, maxChars = 1000): CsvRecord[] {
  const splitter = new CsvRecordSplitter(maxChars);
  const records: CsvRecord[] = [];
  for (let start = 0; start < text.length; start += size) {
    records.push(...splitter.push(text.slice(start, start + size)));
  }
  records.push(...splitter.end());
  return records;
}

/** What the import read with csv-parse and these options before. */
const csvParse = (text: string): string[][] =>
  parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];

describe('CsvRecordSplitter', () => {
  const samples: [string, string][] = [
    ['plain, LF', 'id,a,b\n1,2,3\n4,5,6\n'],
    ['CRLF, no final line end', 'id,a,b\r\n1,2,3\r\n4,5,6'],
    ['lone CR', 'id,a\r1,2\r3,4\r'],
    ['byte-order mark and empty lines', '\uFEFFid,a\n\n1,2\n\n\n3,4\n'],
    ['quoted cells', 'id,text\n1,"hello, world"\n2,"say ""hi"""\n3,""\n'],
    ['a line end inside quotes', 'id,text\n1,"two\nlines"\n2,"crlf\r\ninside"\n'],
    ['ragged rows and empty cells', 'a,b,c\n1,2\n1,2,3,4\n,,\n'],
    ['spaces kept as they are', 'a,b\n 1 , 2 \n'],
  ];

  it.each(samples)('reads %s as csv-parse did', (_name, text) => {
    expect(split(text)).toEqual(csvParse(text));
  });

  it.each(samples)('reads %s the same whatever the pieces are', (_name, text) => {
    const whole = split(text);
    for (const size of [1, 2, 3, 5, 7]) expect(split(text, size)).toEqual(whole);
  });

  it('returns a too-large record as null, keeping none of it, and goes on after it', () => {
    const long = 'x'.repeat(50);
    const text = `a,b\n1,2\n${long},3\n"${long}\n${long}",4\n5,6\n`;
    for (const size of [1, 7, text.length]) {
      expect(split(text, size, 20)).toEqual([['a', 'b'], ['1', '2'], null, null, ['5', '6']]);
    }
  });

  it('holds no more than the limit of a body without line ends', () => {
    const splitter = new CsvRecordSplitter(100);
    for (let i = 0; i < 1000; i++) expect(splitter.push('y'.repeat(64))).toEqual([]);
    expect((splitter as unknown as { rest: string }).rest.length).toBeLessThanOrEqual(100);
    expect(splitter.end()).toEqual([null]);
  });

  it.each([
    ['a quote never closed', 'a,b\n"1,2\n3,4\n', /quote opened in record 2 is never closed/],
    ['a quote inside an unquoted cell', 'a,b\n1,x"y"\n', /record 2, cell 2: a quote may only open a cell/],
    ['text after a closing quote', 'a,b\n"1"x,2\n', /record 2, cell 1: a closing quote must be followed/],
  ])('fails the file on %s', (_name, text, message) => {
    expect(() => split(text)).toThrow(message);
    expect(() => csvParse(text)).toThrow(); // csv-parse refused these too
  });
});
