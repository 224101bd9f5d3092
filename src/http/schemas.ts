import { z } from 'zod';

/** The one error shape of every route. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export const bearerSecurity = [{ bearerAuth: [] }];
