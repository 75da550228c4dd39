-- A signed-in request in one round trip. Each instance keeps the practices it has served in memory; every change to
-- a practice's row (its settings page, the operator command, anything) bumps its version, and the session read below
-- returns the practice's current version with the session, in the same statement. An instance whose copy is older
-- gets the fresh row in that same answer, so a saved setting is seen by every instance on its next signed-in request,
-- with no extra query and no listener connection (which a transaction pooler would not carry).
alter table tenants add column version bigint not null default 1;

create function tenants_next_version() returns trigger language plpgsql as $$
begin
  new.version := old.version + 1;
  return new;
end $$;
create trigger tenants_version before update on tenants for each row execute function tenants_next_version();

-- The session behind a cookie, read under the practice's row-level security like any tenant transaction: the
-- practice is set for this statement's own transaction only (set_config(…, true)), so nothing outlives it on the
-- server connection. Idle sign-out and the 12-hour limit are checked here; an expired session is deleted; a live one
-- has last_seen_at written at most once per p_touch_after. One row while the practice exists: its version (and its
-- row when p_known_version is older), then the account, or nulls when the cookie signs nobody in.
create function app_session_read(
  p_tenant uuid, p_portal text, p_id_hash text, p_known_version bigint,
  p_idle_setting text, p_idle_default integer, p_touch_after interval
) returns table (
  tenant_version bigint, tenant_slug text, tenant_name text, tenant_settings jsonb,
  id_hash text, account_id uuid, signed_in_with text, status text, username text, email text,
  must_change_password boolean, has_question boolean, two_factor boolean, has_passkey boolean,
  role text, display_name text
) language plpgsql volatile as $$
#variable_conflict use_column
declare
  t record;
  s record;
  idle_minutes integer;
  live boolean;
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  select tn.version, tn.slug, tn.name, tn.settings into t from tenants tn where tn.id = p_tenant;
  if not found then return; end if;
  idle_minutes := case when t.settings->>p_idle_setting ~ '^[0-9]{1,4}$' then (t.settings->>p_idle_setting)::integer else p_idle_default end;

  select se.id_hash, se.account_id, se.signed_in_with, se.last_seen_at,
         least(se.last_seen_at + make_interval(mins => idle_minutes), se.expires_at) <= now() as expired,
         a.username, a.email, a.status,
         a.must_change_password or coalesce(a.temporary_password_expires_at < now(), false) as must_change_password,
         a.security_answer_hash is not null as has_question, a.totp_enabled_at is not null as two_factor,
         exists (select 1 from passkeys p where p.tenant_id = a.tenant_id and p.account_id = a.id) as has_passkey,
         sp.role,
         coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name, a.username) as display_name
    into s
    from sessions se
    join accounts a on a.tenant_id = se.tenant_id and a.id = se.account_id
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
   where se.tenant_id = p_tenant and se.id_hash = p_id_hash and se.portal = p_portal and a.portal = p_portal;

  live := found and not s.expired and s.status = 'active';
  if found and not live then
    -- Past its limits, or its account no longer active: the session is over for good.
    delete from sessions where tenant_id = p_tenant and sessions.id_hash = p_id_hash;
  elsif live and s.last_seen_at < now() - p_touch_after then
    update sessions set last_seen_at = now() where tenant_id = p_tenant and sessions.id_hash = p_id_hash;
  end if;

  tenant_version := t.version;
  if p_known_version is distinct from t.version then
    tenant_slug := t.slug;
    tenant_name := t.name;
    tenant_settings := t.settings;
  end if;
  if live then
    id_hash := s.id_hash;
    account_id := s.account_id;
    signed_in_with := s.signed_in_with;
    status := s.status;
    username := s.username;
    email := s.email;
    must_change_password := s.must_change_password;
    has_question := s.has_question;
    two_factor := s.two_factor;
    has_passkey := s.has_passkey;
    role := s.role;
    display_name := s.display_name;
  end if;
  return next;
end $$;
