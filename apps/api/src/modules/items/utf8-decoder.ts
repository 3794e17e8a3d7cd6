import { ImportFormatError } from './import-format-error';

/**
 * Decodes an upload as UTF-8, chunk by chunk, and refuses one that is not UTF-8 (400, so nothing is
 * imported): StringDecoder replaced such bytes with U+FFFD, so a file saved as Latin-1 (Excel's plain
 * "CSV") lost every "é" of its texts and ids without a word, and a UTF-16 one was read as noise. The
 * byte-order mark is kept for the readers, which skip it.
 */
export class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private first = true;

  write(chunk: Buffer): string {
    // (bytes FF and FE never occur in UTF-8: first, they are UTF-16's byte-order mark)
    if (this.first && (chunk[0] === 0xff || chunk[0] === 0xfe)) {
      throw new ImportFormatError(`the file is UTF-16 text; ${SAVE_AS_UTF8}`);
    }
    this.first &&= chunk.length === 0;
    return this.decode(chunk);
  }

  end(): string {
    return this.decode(undefined);
  }

  private decode(chunk: Buffer | undefined): string {
    try {
      return this.decoder.decode(chunk, { stream: chunk !== undefined });
    } catch {
      throw new ImportFormatError(`the file is not UTF-8 text (Latin-1, for example); ${SAVE_AS_UTF8}`);
    }
  }
}

const SAVE_AS_UTF8 = 'save it as UTF-8 (in Excel: "CSV UTF-8") and import it again; nothing was imported';
