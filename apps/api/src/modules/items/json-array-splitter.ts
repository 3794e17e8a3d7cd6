import { ImportFormatError } from './import-format-error';

/** A top-level element of the array: its JSON text, or null when it was larger than the row limit. */
export interface JsonElement {
  row: number;
  text: string | null;
}

const enum State {
  BeforeArray,
  FirstElement,
  AfterComma,
  InElement,
  AfterElement,
  Done,
}

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Splits a JSON array that arrives in chunks into the texts of its top-level elements, so an import of
 * any size is parsed one element at a time instead of as one document. It only tracks strings and
 * nesting depth; each element is then parsed (and, if broken, rejected) on its own.
 */
export class JsonArraySplitter {
  private state = State.BeforeArray;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private size = 0;
  private oversized = false;
  private rows = 0;

  constructor(private readonly maxElementChars: number) {}

  /** Feeds the next chunk of text; returns the elements it completed. */
  push(text: string): JsonElement[] {
    const done: JsonElement[] = [];
    let start = this.state === State.InElement ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case State.BeforeArray:
          if (isWhitespace(c) || c === 0xfeff) continue;
          if (c !== 0x5b /* [ */) {
            throw new ImportFormatError(
              'a JSON import must be an array of items ([{…}, {…}]); one item per line is NDJSON, sent as ' +
                'application/x-ndjson (a .ndjson or .jsonl file on the site)',
            );
          }
          this.state = State.FirstElement;
          continue;
        case State.FirstElement:
        case State.AfterComma:
          if (isWhitespace(c)) continue;
          if (c === 0x5d /* ] */) {
            if (this.state === State.AfterComma) {
              throw new ImportFormatError(`the JSON array has a trailing comma after row ${this.rows}`);
            }
            this.state = State.Done;
            continue;
          }
          this.state = State.InElement;
          start = i;
          this.depth = 0;
          break; // this character is the element's first: handled below
        case State.AfterElement:
          if (isWhitespace(c)) continue;
          if (c === 0x2c /* , */) this.state = State.AfterComma;
          else if (c === 0x5d) this.state = State.Done;
          else throw new ImportFormatError(`expected "," or "]" after row ${this.rows} of the JSON array`);
          continue;
        case State.Done:
          if (isWhitespace(c)) continue;
          throw new ImportFormatError('unexpected content after the closing "]" of the JSON array');
        case State.InElement:
          break;
      }

      // Inside an element.
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* \ */) this.escaped = true;
        else if (c === 0x22 /* " */) {
          this.inString = false;
          if (this.depth === 0) done.push(this.finish(text, start, i + 1, State.AfterElement));
        }
      } else if (c === 0x22) {
        this.inString = true;
      } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        this.depth++;
      } else if (this.depth > 0 && (c === 0x7d /* } */ || c === 0x5d)) {
        this.depth--;
        if (this.depth === 0) done.push(this.finish(text, start, i + 1, State.AfterElement));
      } else if (this.depth === 0 && (c === 0x2c || c === 0x5d || isWhitespace(c))) {
        // The end of a bare number or literal.
        const next = c === 0x2c ? State.AfterComma : c === 0x5d ? State.Done : State.AfterElement;
        done.push(this.finish(text, start, i, next));
      }
    }
    if (this.state === State.InElement) this.keep(text.slice(start));
    return done;
  }

  /** Call after the last chunk: throws when the array was not closed. */
  end(): void {
    if (this.state === State.BeforeArray) {
      throw new ImportFormatError('the request body is empty; expected a JSON array of items');
    }
    if (this.state !== State.Done) {
      throw new ImportFormatError(`the JSON array ends early, after row ${this.rows} (no closing "]")`);
    }
  }

  private keep(piece: string): void {
    if (this.oversized) return;
    this.size += piece.length;
    if (this.size > this.maxElementChars) {
      this.oversized = true;
      this.parts = [];
    } else {
      this.parts.push(piece);
    }
  }

  private finish(text: string, start: number, end: number, next: State): JsonElement {
    this.keep(text.slice(start, end));
    const element = { row: ++this.rows, text: this.oversized ? null : this.parts.join('') };
    this.parts = [];
    this.size = 0;
    this.oversized = false;
    this.state = next;
    return element;
  }
}
