import { BadRequestException } from '@nestjs/common';

/**
 * The file as a whole cannot be read (not a JSON array, a broken CSV quote, an unusable header):
 * the request fails with 400 and nothing is written. A bad row, in contrast, is only reported.
 */
export class ImportFormatError extends BadRequestException {}
