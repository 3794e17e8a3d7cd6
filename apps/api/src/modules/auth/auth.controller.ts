import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  changePasswordRequestSchema,
  signInRequestSchema,
  userSchema,
  type ChangePasswordRequest,
  type SignInRequest,
  type User,
} from '@foreman/contracts';
import { API_CONFIG, type ApiConfig } from '../../config/env';
import { ApiErrorResponses, ApiJsonBody, ApiJsonResponse } from '../../common/openapi';
import { ZodValidationPipe } from '../../common/zod-validation.pipe';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import type { AuthenticatedUser } from './authenticated-user';
import { SignInThrottlerGuard } from './sign-in-throttle';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie';

const userResponseSchema = z.object({ user: userSchema });

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly auth: AuthService,
  ) {}

  @Post('sign-in')
  @Public()
  @ApiOperation({ summary: 'sign in with email and password', security: [] })
  @UseGuards(SignInThrottlerGuard)
  @HttpCode(200)
  @ApiJsonBody(signInRequestSchema)
  @ApiJsonResponse(200, 'signed in; the session cookie foreman_session is set', userResponseSchema)
  @ApiErrorResponses(
    [400, 'the body is invalid'],
    [401, 'wrong email or password'],
    [403, "the account is deactivated (reason 'account-deactivated'); said only for its right password"],
    [429, 'too many attempts; see Retry-After'],
  )
  async signIn(
    @Body(new ZodValidationPipe(signInRequestSchema)) body: SignInRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ user: User }> {
    const { user, token, expiresAt } = await this.auth.signIn(body);
    setSessionCookie(response, token, expiresAt, this.config.COOKIE_SECURE);
    return { user };
  }

  @Post('sign-out')
  @Public()
  @ApiOperation({ summary: 'end the session behind the cookie, if any', security: [] })
  @HttpCode(204)
  @ApiJsonResponse(204, 'the session is ended on the server and the cookie cleared')
  async signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOut(readSessionCookie(request));
    clearSessionCookie(response, this.config.COOKIE_SECURE);
  }

  @Get('me')
  @ApiJsonResponse(200, 'the signed-in account', userResponseSchema)
  @ApiErrorResponses([
    401,
    "not signed in, or the session has expired; reason 'account-deactivated' when an admin deactivated the account",
  ])
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<{ user: User }> {
    return { user: await this.auth.me(caller.id) };
  }

  @Post('password')
  @UseGuards(SignInThrottlerGuard)
  @HttpCode(204)
  @ApiJsonBody(changePasswordRequestSchema)
  @ApiJsonResponse(204, "changed; the caller's other sessions end")
  @ApiErrorResponses(
    [400, 'the current password is wrong, or the new one is too short'],
    [401, 'not signed in'],
    [429, 'too many attempts; see Retry-After'],
  )
  async changePassword(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ZodValidationPipe(changePasswordRequestSchema)) body: ChangePasswordRequest,
  ): Promise<void> {
    await this.auth.changePassword(caller, body);
  }
}
