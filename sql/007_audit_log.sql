-- The audit page (P6) pages through a practice's events newest first by (occurred_at, id) and narrows them by
-- person (actor or subject) and by action. 001 indexes time and subject; these serve the other two filters
-- without scanning the whole practice's history. The id column makes ties on occurred_at index-ordered too.
create index audit_events_actor on audit_events (tenant_id, actor_account_id, occurred_at desc, id desc);
create index audit_events_action on audit_events (tenant_id, action, occurred_at desc, id desc);
-- Sign-in names typed that matched no account are kept in detail.identifier; the person filter searches them too.
create index audit_events_typed_name on audit_events using gin ((detail->>'identifier') gin_trgm_ops) where detail ? 'identifier';
