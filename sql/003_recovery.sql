-- Password-reset and invitation links. Only SHA-256 of a link's token is stored. Opening a link moves the
-- person to a token-free page bound to a short-lived "flow" secret held in a cookie (its hash stored here).
create table account_tokens (
  tenant_id uuid not null,
  id uuid not null default gen_random_uuid(),
  account_id uuid not null,
  purpose text not null check (purpose in ('reset', 'invitation')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  created_by uuid,
  used_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  answer_failures integer not null default 0,
  question_passed_at timestamptz,
  flow_hash text unique,
  flow_expires_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, account_id) references accounts (tenant_id, id) on delete cascade
);
create index account_tokens_account on account_tokens (tenant_id, account_id, created_at desc);

-- "Forgot password" requests are queued and handled off the request path, so the answer and its timing
-- are the same whether or not the address has an account.
create table reset_requests (
  tenant_id uuid not null references tenants,
  id bigint generated always as identity,
  portal text not null check (portal in ('practice', 'patient')),
  email text not null check (length(email) <= 254),
  ip text,
  user_agent text,
  requested_at timestamptz not null default now(),
  primary key (tenant_id, id)
);
create index reset_requests_time on reset_requests (requested_at);

alter table account_tokens enable row level security;
alter table account_tokens force row level security;
create policy tenant_isolation on account_tokens using (tenant_id = app_tenant_id()) with check (tenant_id = app_tenant_id());

alter table reset_requests enable row level security;
alter table reset_requests force row level security;
-- The request worker claims across practices, saying so with its own transaction-local setting.
create policy tenant_isolation on reset_requests
  using (tenant_id = app_tenant_id() or current_setting('app.worker', true) = 'reset-requests')
  with check (tenant_id = app_tenant_id());

grant select, insert, update, delete on account_tokens, reset_requests to gatehouse_app;
