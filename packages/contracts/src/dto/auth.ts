import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'labeller']);

export const signInRequestSchema = z
  .object({
    email: z.email().max(320),
    password: z.string().min(1).max(1024),
  })
  .strict();

export const userSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  displayName: z.string(),
  role: roleSchema,
  active: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
});

export const createUserRequestSchema = z
  .object({
    email: z.email().max(320),
    displayName: z.string().trim().min(1).max(200),
    role: roleSchema.default('labeller'),
    password: z.string().min(12, 'passwords need at least 12 characters').max(1024),
  })
  .strict();

export const updateUserRequestSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    active: z.boolean(),
    password: z.string().min(12, 'passwords need at least 12 characters').max(1024),
  })
  .partial()
  .strict();

/** A signed-in user changing their own password; their other sessions end. */
export const changePasswordRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(12, 'passwords need at least 12 characters').max(1024),
  })
  .strict();

export const createApiTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** The user the token acts as; defaults to the admin creating it. */
    userId: z.uuid().optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  userId: z.uuid(),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
});

/** Returned once, when the token is created; only its hash is stored. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });

export const membershipRequestSchema = z.object({ userId: z.uuid() }).strict();

export type Role = z.infer<typeof roleSchema>;
export type SignInRequest = z.infer<typeof signInRequestSchema>;
export type User = z.infer<typeof userSchema>;
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;
export type CreateApiTokenRequest = z.infer<typeof createApiTokenRequestSchema>;
export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export type MembershipRequest = z.infer<typeof membershipRequestSchema>;
