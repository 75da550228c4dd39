-- Holding under attack (security review): sign-in failures that wear off, the application's own login role with
-- time limits on what it may hold, and caps on what one person or one practice may ask for.

-- A failure counts less as time passes (one wears off every 15 minutes without another), so a slow trickle of
-- guesses cannot keep an account locked for ever. Unknown sign-in names keep the same state in rate_limits
-- (hits, window_started_at = last failure, blocked_until), with the same rules.
alter table accounts add column last_failed_sign_in_at timestamptz;
update accounts set last_failed_sign_in_at = coalesce(locked_until, now()) where failed_sign_ins > 0;

-- The application connects as gatehouse_app itself (a login role given its password by the operator's URL, see
-- src/platform/app-role.ts), never as the owner: it cannot leave row-level security with SET ROLE. Whatever it
-- runs is bounded, so one practice's slow request or stuck transaction cannot hold a connection for long.
alter role gatehouse_app nosuperuser nobypassrls nocreatedb nocreaterole noreplication;
alter role gatehouse_app set statement_timeout = '15s';
alter role gatehouse_app set idle_in_transaction_session_timeout = '30s';
alter role gatehouse_app set lock_timeout = '10s';

-- Audit exports running now, across instances: a few slots per practice and a few for everyone (named
-- 'practice:<id>:<n>' and 'all:<n>'), each held by a lease the export renews with every page it reads, so a client
-- that stops reading (or an instance that dies) gives its slot back on its own. No practice data is kept here.
create table export_slots (
  slot text primary key,
  holder uuid not null,
  lease_until timestamptz not null
);
grant select, insert, update, delete on export_slots to gatehouse_app;
