import { BadRequestException, type PipeTransform } from '@nestjs/common';

const MAX_ID = 2_147_483_647; // items and labels have integer ids

/** A path id such as `/items/:id`: 400 naming the parameter unless it is a positive integer. */
export class IdParamPipe implements PipeTransform<string, number> {
  constructor(private readonly what: string) {}

  transform(value: string): number {
    const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(id <= MAX_ID)) throw new BadRequestException(`${this.what} id must be a positive integer, got "${value}"`);
    return id;
  }
}
