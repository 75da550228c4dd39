-- Email (and later SMS) waiting to be delivered, written in the same transaction as what it announces.
-- Bodies may carry a one-time link, so they are stored encrypted (AES-256-GCM, key from SECRET_KEY).
create table outbox (
  tenant_id uuid not null references tenants,
  id uuid not null default gen_random_uuid() unique,
  kind text not null,
  account_id uuid,
  to_address text not null,
  subject text not null,
  body_encrypted text,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  -- When the row is next due: a retry's time while pending, the claim's lease expiry while sending (so one
  -- partial index finds both new work and the rows of a worker that died mid-send).
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  -- Which claim owns a 'sending' row: a worker whose lease ran out must not overwrite its successor's outcome.
  claimed_by uuid,
  last_error text,
  provider_message_id text,
  -- clock_timestamp, not now(): emails queued in one transaction still list in the order they were written.
  created_at timestamptz not null default clock_timestamp(),
  sent_at timestamptz,
  primary key (tenant_id, id)
);
create index outbox_due on outbox (next_attempt_at) where status in ('pending', 'sending');
create index outbox_account on outbox (tenant_id, account_id, created_at desc);
create index outbox_recent on outbox (created_at desc);

alter table outbox enable row level security;
alter table outbox force row level security;
-- The delivery worker works across practices; it says so with a transaction-local setting of its own.
create policy tenant_isolation on outbox
  using (tenant_id = app_tenant_id() or current_setting('app.worker', true) = 'outbox')
  with check (tenant_id = app_tenant_id() or current_setting('app.worker', true) = 'outbox');
-- The development mailbox (never served in production) reads every practice's mail but may change none of it:
-- a value of its own keeps that page's transactions read-only on this table whatever its code does.
create policy development_mailbox_read on outbox for select
  using (current_setting('app.worker', true) = 'devmail');

grant select, insert, update, delete on outbox to gatehouse_app;
