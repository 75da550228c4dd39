import type { Mailer } from '../mail/mailer.ts';
import type { Config } from '../platform/config.ts';
import type { RequestOrigin } from './audit.ts';
import type { Portal, Tenant } from './tenant.ts';

/** Who acts: a staff member on someone else's account, or a person on their own. */
export type Actor = { id: string; displayName: string };

/**
 * What a domain action runs with besides its transaction: the practice and the portal the request came through,
 * where it came from, who acts (null before anyone is signed in), and the means to tell people. The HTTP layer
 * builds it once per request.
 */
export type Scope = { config: Config; mailer: Mailer; tenant: Tenant; portal: Portal; origin: RequestOrigin; actor: Actor | null };

/** The actor of an action that only a signed-in person can take; reaching it without one is a programming error. */
export function actorOf(scope: Scope): Actor {
  if (!scope.actor) throw new Error('this action needs a signed-in actor');
  return scope.actor;
}
