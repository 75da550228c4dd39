-- Families read the patient portal, its emails, text messages and printed sheets in English or Spanish.
-- language: the account's saved choice (Settings, "Idioma"; or the switcher while signed in), null until chosen.
-- last_language: the language the person last used the portal in (at sign-in, or when asking for a reset link),
-- so an email sent by the practice to someone who never chose still reaches them in the language they read.
-- Recipients get language, else last_language, else English.
alter table accounts
  add column language text check (language in ('en', 'es')),
  add column last_language text check (last_language in ('en', 'es'));

-- The forgot-password request remembers the language it was asked in: the reset email follows it when the account
-- has no saved choice.
alter table reset_requests add column language text not null default 'en' check (language in ('en', 'es'));

-- The session read of sql/041 also returns the account's saved language, so a signed-in page in the patient portal
-- is drawn in it with no extra query.
drop function app_session_read(uuid, text, text, bigint, text, integer, interval);

create function app_session_read(
  p_tenant uuid, p_portal text, p_id_hash text, p_known_version bigint,
  p_idle_setting text, p_idle_default integer, p_touch_after interval
) returns table (
  tenant_version bigint, tenant_slug text, tenant_name text, tenant_settings jsonb,
  id_hash text, account_id uuid, signed_in_with text, status text, username text, email text,
  must_change_password boolean, has_question boolean, two_factor boolean, has_passkey boolean,
  role text, display_name text, ended text, language text
) language plpgsql volatile as $$
#variable_conflict use_column
declare
  r record;
  live boolean;
begin
  perform set_config('app.tenant_id', p_tenant::text, true);
  -- One read for the practice and the session (tenants first: the row is there whether or not the session is).
  select tn.version, tn.slug, tn.name, tn.settings,
         se.id_hash, se.account_id, se.signed_in_with, se.last_seen_at,
         least(se.last_seen_at + make_interval(mins => case when tn.settings->>p_idle_setting ~ '^[0-9]{1,4}$'
                                                            then (tn.settings->>p_idle_setting)::integer else p_idle_default end),
               se.expires_at) <= now() as expired,
         se.last_seen_at + make_interval(mins => case when tn.settings->>p_idle_setting ~ '^[0-9]{1,4}$'
                                                     then (tn.settings->>p_idle_setting)::integer else p_idle_default end)
           < se.expires_at as idle_first,
         a.username, a.email, a.status,
         a.must_change_password or coalesce(a.temporary_password_expires_at < now(), false) as must_change_password,
         a.security_answer_hash is not null as has_question, a.totp_enabled_at is not null as two_factor,
         exists (select 1 from passkeys p where p.tenant_id = a.tenant_id and p.account_id = a.id) as has_passkey,
         sp.role, a.language,
         coalesce(sp.first_name || ' ' || sp.last_name, fc.first_name || ' ' || fc.last_name, a.username) as display_name
    into r
    from tenants tn
    left join sessions se on se.tenant_id = tn.id and se.id_hash = p_id_hash and se.portal = p_portal
    left join accounts a on a.tenant_id = se.tenant_id and a.id = se.account_id and a.portal = p_portal
    left join staff_profiles sp on sp.tenant_id = a.tenant_id and sp.account_id = a.id
    left join family_contacts fc on fc.tenant_id = a.tenant_id and fc.account_id = a.id
   where tn.id = p_tenant;
  if not found then return; end if;

  live := r.id_hash is not null and r.username is not null and not r.expired and r.status = 'active';
  if r.id_hash is not null and not live then
    -- Past its limits, or its account no longer active: the session is over for good.
    delete from sessions where tenant_id = p_tenant and sessions.id_hash = p_id_hash;
  elsif live and r.last_seen_at < now() - p_touch_after then
    update sessions set last_seen_at = now() where tenant_id = p_tenant and sessions.id_hash = p_id_hash;
  end if;

  -- Why a cookie that was presented signs nobody in, for the sign-in page's sentence: idle, the 12-hour limit, or
  -- ended (signed out elsewhere, a password change or a deactivation, or no such session).
  if p_id_hash is not null and not live then
    ended := case when r.id_hash is null or r.username is null or r.status <> 'active' or not r.expired then 'ended'
                  when r.idle_first then 'idle' else 'expired' end;
  end if;
  tenant_version := r.version;
  if p_known_version is distinct from r.version then
    tenant_slug := r.slug;
    tenant_name := r.name;
    tenant_settings := r.settings;
  end if;
  if live then
    id_hash := r.id_hash;
    account_id := r.account_id;
    signed_in_with := r.signed_in_with;
    status := r.status;
    username := r.username;
    email := r.email;
    must_change_password := r.must_change_password;
    has_question := r.has_question;
    two_factor := r.two_factor;
    has_passkey := r.has_passkey;
    role := r.role;
    display_name := r.display_name;
    language := r.language;
  end if;
  return next;
end $$;
