import type { Messages } from '../copy/messages.ts';
import type { RequestOrigin } from '../core/audit.ts';
import type { SessionEnd, SignedInAccount } from '../core/sessions.ts';
import type { Portal, Tenant } from '../core/tenant.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Config } from '../platform/config.ts';
import type { Database } from '../platform/db.ts';

/** What the app is built from; tests pass their own (a fresh database, a fake mail API). */
export type AppDeps = { db: Database; config: Config; mailer: Mailer };

export type Env = {
  Variables: {
    origin: RequestOrigin;
    tenant: Tenant;
    portal: Portal;
    account: SignedInAccount | null;
    sessionId: string | null;
    /** Why the session this browser still presented no longer counts (null when none was presented, or it counts). */
    sessionEnded: SessionEnd | null;
    messages: Messages;
    secureHeadersNonce?: string;
  };
};
