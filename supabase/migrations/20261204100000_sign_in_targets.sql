-- Sign-in targets: who may be sent a magic link, and under which studio's name.
--
-- Objects: private.sign_in_target(text, text).
-- The app issues links itself (admin generateLink creates a user for any address), so it first
-- asks this function whether the address belongs to an active client contact (audience
-- 'portal') or a studio member (audience 'app'). It reads auth.users, which only the owner may,
-- hence security definer; only service_role (the app's background worker) may call it.

create schema if not exists private;
grant usage on schema private to service_role;

create or replace function private.sign_in_target(p_email text, p_audience text)
returns table (org_id uuid, studio_name text)
language sql
stable
security definer
set search_path = ''
as $$
  select c.org_id, coalesce(b.display_name, o.name)
  from public.client_contacts c
  join public.clients cl on cl.id = c.client_id and cl.archived_at is null
  join public.orgs o on o.id = c.org_id
  left join public.org_branding b on b.org_id = c.org_id
  where p_audience = 'portal'
    and lower(c.email::text) = lower(p_email)
    and c.revoked_at is null
  union all
  select m.org_id, coalesce(b.display_name, o.name)
  from public.org_members m
  join auth.users u on u.id = m.user_id
  join public.orgs o on o.id = m.org_id
  left join public.org_branding b on b.org_id = m.org_id
  where p_audience = 'app'
    and lower(u.email) = lower(p_email)
  limit 1
$$;

comment on function private.sign_in_target(text, text) is
  'The studio a sign-in link for this address and audience goes out under; no row: no link.';

revoke execute on function private.sign_in_target(text, text) from public, anon, authenticated;
grant execute on function private.sign_in_target(text, text) to service_role;
