-- In-app notifications: one row per recipient per activity event, with its read state. A row
-- carries ids and the event's kind only; what it says comes from the activity row, which the
-- recipient reads under that table's own policies.
--
-- Objects: table public.notifications; function private.check_notification(); trigger,
-- grants, RLS policies, indexes.
-- Destructive: none.

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- Set for a client-audience notification (and optionally for a team one about a client).
  client_id uuid,
  recipient_user_id uuid not null references auth.users (id) on delete cascade,
  -- team: the recipient as a member of org_id; client: as a contact of client_id.
  audience text not null check (audience in ('team', 'client')),
  activity_id uuid not null references public.activity (id) on delete cascade,
  -- Copied from the activity by the trigger below.
  kind text not null,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (client_id, org_id) references public.clients (id, org_id) on delete cascade,
  check (audience = 'team' or client_id is not null),
  unique (recipient_user_id, activity_id, audience)
);

-- NOTE: fan-out (which activity notifies whom) is not decided yet; until then only
-- service_role writes notifications.
comment on table public.notifications is
  'In-app notifications per recipient, with read state. Written by service_role; recipients '
  'read theirs while their membership or contact row is live, and mark them read.';

create index notifications_recipient_idx
  on public.notifications (recipient_user_id, created_at desc);
create index notifications_org_id_idx on public.notifications (org_id);
create index notifications_client_id_idx on public.notifications (client_id);
create index notifications_activity_id_idx on public.notifications (activity_id);

-- A notification must not tell a client about an event they may not see: client-audience rows
-- point at client-visible activity of that very client.
create function private.check_notification()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_activity public.activity;
begin
  select * into v_activity from public.activity a where a.id = new.activity_id;

  if not found
    or v_activity.org_id <> new.org_id
    or (
      new.audience = 'client'
      and (not v_activity.client_visible or v_activity.client_id is distinct from new.client_id)
    )
  then
    raise exception 'A notification must point at an event its recipient may see.'
      using errcode = 'check_violation';
  end if;

  new.kind := v_activity.kind;
  return new;
end;
$$;

revoke execute on function private.check_notification() from public;

create trigger notifications_check
  before insert or update of org_id, client_id, audience, activity_id on public.notifications
  for each row execute function private.check_notification();

alter table public.notifications enable row level security;
revoke all on table public.notifications from anon, authenticated;
grant select on table public.notifications to authenticated;
-- Read state only: a recipient cannot retarget or rewrite a notification.
grant update (read_at) on table public.notifications to authenticated;
grant all on table public.notifications to service_role;

-- The live membership or contact row decides, so a revoked contact's notifications vanish
-- with the rest of their access.
create policy "Recipients can read their own notifications"
  on public.notifications for select
  to authenticated
  using (
    recipient_user_id = (select auth.uid())
    and (
      (audience = 'team' and org_id = any (array(select private.member_org_ids())))
      or (audience = 'client' and client_id = any (array(select private.active_client_ids())))
    )
  );

create policy "Recipients can mark their own notifications read"
  on public.notifications for update
  to authenticated
  using (
    recipient_user_id = (select auth.uid())
    and (
      (audience = 'team' and org_id = any (array(select private.member_org_ids())))
      or (audience = 'client' and client_id = any (array(select private.active_client_ids())))
    )
  )
  with check (recipient_user_id = (select auth.uid()));
