import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiResponse, type ApiBodyOptions } from '@nestjs/swagger';
import { z } from 'zod';
import { apiErrorSchema } from '@foreman/contracts';

type SchemaObject = Extract<ApiBodyOptions, { schema: unknown }>['schema'];

/**
 * The OpenAPI description of a contracts schema, so /docs shows exactly what the API validates
 * (requests as accepted, with their defaults; responses as sent) without a second set of DTO classes.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  return withoutFormatPatterns(json) as SchemaObject;
}

/** zod spells out the regex behind `format: uuid/email/date-time`; the format alone reads better. */
function withoutFormatPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutFormatPatterns);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>)
    .filter(([key]) => key !== '$schema' && !(key === 'pattern' && 'format' in node))
    .map(([key, value]) => [key, withoutFormatPatterns(value)]);
  return Object.fromEntries(entries);
}

/** The request body, from the schema the route validates it with. */
export const ApiJsonBody = (schema: z.ZodType) => ApiBody({ schema: openApiSchema(schema, 'input') });

/** A successful answer and its body (omit the schema for bodiless answers such as 204). */
export const ApiJsonResponse = (status: number, description: string, schema?: z.ZodType) =>
  ApiResponse({ status, description, ...(schema ? { schema: openApiSchema(schema) } : {}) });

/** Error answers, all in the one ApiError shape. */
export const ApiErrorResponses = (...responses: [status: number, description: string][]) =>
  applyDecorators(
    ...responses.map(([status, description]) =>
      ApiResponse({ status, description, schema: openApiSchema(apiErrorSchema) }),
    ),
  );
