import { BadRequestException } from '@nestjs/common';
import type { LabelValue } from '@foreman/contracts';

/**
 * Checks a submitted value against the project's classes and returns it as stored: one class for a
 * single-label project, a set (in class-list order) for a multi-label one. 400 naming the allowed classes.
 */
export function normaliseLabelValue(
  project: { classes: string[]; multiLabel: boolean },
  value: LabelValue,
): string[] {
  const allowed = project.classes;
  const listed = allowed.map((name) => JSON.stringify(name)).join(', ');
  if (!project.multiLabel && typeof value !== 'string') {
    throw new BadRequestException({
      message: `value: this project takes one class per item; send one of ${listed} as a string`,
      details: { allowed },
    });
  }
  if (project.multiLabel && typeof value === 'string') {
    throw new BadRequestException({
      message: `value: this project takes a set of classes; send a non-empty array of ${listed}`,
      details: { allowed },
    });
  }
  const given = typeof value === 'string' ? [value] : value;
  const unknown = given.filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new BadRequestException({
      message: `value: unknown class ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the allowed classes are ${listed}`,
      details: { allowed, unknown },
    });
  }
  return allowed.filter((name) => given.includes(name));
}
