-- A deactivated account keeps its row (username, email, names) and its whole audit trail, but nothing it could sign
-- in with: its password hash, security answer, TOTP secret, recovery codes, text-message codes, unfinished 2FA set-up,
-- remembered browsers, open sign-in steps, a printout awaiting its sheet, and passkeys. The database does it as the
-- status changes, whichever code deactivates the account (staff administration, portal access); reactivation then
-- starts from an invitation (src/core/reactivation.ts).

create function wipe_deactivated_credentials() returns trigger language plpgsql as $$
begin
  if new.status = 'deactivated' and old.status is distinct from 'deactivated' then
    new.password_hash := null;
    new.must_change_password := false;
    new.temporary_password_expires_at := null;
    new.security_question := null;
    new.security_answer_hash := null;
    new.totp_secret_encrypted := null;
    new.totp_enabled_at := null;
    new.totp_last_used_step := null;
    new.failed_sign_ins := 0;
    new.locked_until := null;
  end if;
  return new;
end $$;
create trigger accounts_deactivation_wipes_credentials before update of status on accounts
  for each row execute function wipe_deactivated_credentials();

-- sql/004's function grows from "forget remembered browsers and open steps" to every credential row. Passkeys live in
-- their own table; it is wiped here by name whenever it exists, so adding passkeys needs no change to this rule.
create or replace function forget_two_factor_trust() returns trigger language plpgsql as $$
begin
  if new.status = 'deactivated' and old.status is distinct from 'deactivated' then
    delete from remembered_devices where tenant_id = new.tenant_id and account_id = new.id;
    delete from two_factor_challenges where tenant_id = new.tenant_id and account_id = new.id;
    delete from two_factor_recovery_codes where tenant_id = new.tenant_id and account_id = new.id;
    delete from two_factor_sms_codes where tenant_id = new.tenant_id and account_id = new.id;
    delete from two_factor_enrolments where tenant_id = new.tenant_id and account_id = new.id;
    delete from credential_printouts where tenant_id = new.tenant_id and account_id = new.id;
    if to_regclass('passkeys') is not null then
      execute 'delete from passkeys where tenant_id = $1 and account_id = $2' using new.tenant_id, new.id;
    end if;
  end if;
  return new;
end $$;

-- Accounts deactivated before this rule existed are wiped now, one practice at a time (row-level security binds
-- the owner too, so each practice is entered in turn).
do $$
declare t record;
begin
  for t in select id from tenants loop
    perform set_config('app.tenant_id', t.id::text, true);
    delete from remembered_devices where account_id in (select id from accounts where status = 'deactivated');
    delete from two_factor_challenges where account_id in (select id from accounts where status = 'deactivated');
    delete from two_factor_recovery_codes where account_id in (select id from accounts where status = 'deactivated');
    delete from two_factor_sms_codes where account_id in (select id from accounts where status = 'deactivated');
    delete from two_factor_enrolments where account_id in (select id from accounts where status = 'deactivated');
    delete from credential_printouts where account_id in (select id from accounts where status = 'deactivated');
    update accounts set password_hash = null, must_change_password = false, temporary_password_expires_at = null,
      security_question = null, security_answer_hash = null, totp_secret_encrypted = null, totp_enabled_at = null,
      totp_last_used_step = null, failed_sign_ins = 0, locked_until = null
    where status = 'deactivated';
  end loop;
  perform set_config('app.tenant_id', '', true);
end $$;
