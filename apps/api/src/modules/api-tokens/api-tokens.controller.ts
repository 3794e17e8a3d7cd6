import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  apiTokenSchema,
  createApiTokenRequestSchema,
  createdApiTokenSchema,
  type ApiToken,
  type CreateApiTokenRequest,
  type CreatedApiToken,
} from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiTokensService } from './api-tokens.service';

/** Bearer tokens for scripts (`Authorization: Bearer <token>`); they act as their user. */
@ApiTags('api-tokens')
@ApiErrorResponses([401, 'not signed in'], [403, 'not an admin'])
@Roles('admin')
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @ApiJsonResponse(200, 'every token, newest first (never the token itself)', z.array(apiTokenSchema))
  list(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  @Post()
  @ApiJsonBody(createApiTokenRequestSchema)
  @ApiJsonResponse(201, 'the new token; `token` is shown this once', createdApiTokenSchema)
  @ApiErrorResponses([400, 'a field is invalid (named in the message)'], [404, 'no such active user'])
  create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ZodValidationPipe(createApiTokenRequestSchema)) body: CreateApiTokenRequest,
  ): Promise<CreatedApiToken> {
    return this.tokens.create(caller, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiJsonResponse(204, 'revoked; the token stops working at once')
  @ApiErrorResponses([404, 'no such token'])
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tokens.revoke(id);
  }
}
