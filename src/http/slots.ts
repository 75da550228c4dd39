import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Env } from './env.ts';

/**
 * A part of one capability's page that another capability supplies, handed over by src/app.ts (the only place that
 * sees both): the login page's "Sign in with a passkey", My Account's passkey list. Null renders nothing.
 */
export type PageSlot = (c: Context<Env>) => Child | Promise<Child>;
