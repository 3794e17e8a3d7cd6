import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { fieldIssues, formatIssues } from '@foreman/contracts';

/** Validates a body or query against a contracts schema: 400 naming each bad field, else the parsed value. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new BadRequestException({
      message: formatIssues(result.error),
      details: fieldIssues(result.error),
    });
  }
}
