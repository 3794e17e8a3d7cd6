import { BadRequestException, type PipeTransform } from '@nestjs/common';

const MAX_ID = 2_147_483_647; // items and labels have integer ids

/** A path id such as `/items/:id`: 400 naming the parameter unless it is a positive integer. */
export class IdParamPipe implements PipeTransform<string, number> {
  constructor(private readonly what: string) {}

  transform(value: string): number {
    const id = parseId(value);
    if (id === null)
      throw new BadRequestException(
        `${this.what} id must be a whole number from 1 to ${MAX_ID}, got "${value}"`,
      );
    return id;
  }
}

/** The id a path param holds, or null unless it is a positive integer that fits an id column. */
export function parseId(value: string): number | null {
  const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
  return id <= MAX_ID ? id : null;
}
