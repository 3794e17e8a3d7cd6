import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  createUserRequestSchema,
  updateUserRequestSchema,
  userSchema,
  type UpdateUserRequest,
  type User,
} from '@foreman/contracts';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiErrorResponses([401, 'not signed in'], [403, 'not an admin'])
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiJsonResponse(200, 'every account, by email', z.array(userSchema))
  list(): Promise<User[]> {
    return this.users.list();
  }

  @Post()
  @ApiJsonBody(createUserRequestSchema)
  @ApiJsonResponse(201, 'the new account', userSchema)
  @ApiErrorResponses([400, 'a field is invalid (named in the message)'], [409, 'the email is taken'])
  create(
    @Body(new ZodValidationPipe(createUserRequestSchema)) body: z.infer<typeof createUserRequestSchema>,
  ): Promise<User> {
    return this.users.create(body);
  }

  @Patch(':id')
  @ApiJsonBody(updateUserRequestSchema)
  @ApiJsonResponse(200, 'the updated account; deactivating or a new password ends its sessions', userSchema)
  @ApiErrorResponses(
    [400, 'a field is invalid (named in the message)'],
    [404, 'no such user'],
    [409, 'you cannot deactivate yourself'],
  )
  update(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body(new ZodValidationPipe(updateUserRequestSchema)) body: UpdateUserRequest,
  ): Promise<User> {
    return this.users.update(caller, id, body);
  }
}
