-- Broadcasts from the database on the private topics of 20261204200800, so open pages refresh
-- when something changes. Payloads carry the event's kind and ids only: a subscriber refetches
-- through RLS, so no row content crosses the socket, and nothing goes out through
-- postgres_changes.
--
-- Objects: functions private.broadcast_activity(), private.broadcast_comment(),
-- private.broadcast_notification(); their triggers on public.activity, public.comments and
-- public.notifications.
-- Destructive: none.

-- Definer: realtime.send inserts into realtime.messages as the caller, and no API role may
-- insert there. A client topic hears only what the client's contacts may read.
create function private.broadcast_activity()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payload jsonb := jsonb_strip_nulls(jsonb_build_object(
    'kind', new.kind,
    'activity_id', new.id,
    'episode_id', new.episode_id,
    'deliverable_id', new.deliverable_id,
    'comment_id', new.comment_id,
    'review_decision_id', new.review_decision_id
  ));
begin
  perform realtime.send(v_payload, 'activity', 'org:' || new.org_id::text, true);

  if new.client_visible and (
    new.deliverable_id is null
    or exists (
      select 1
      from public.deliverables d
      where d.id = new.deliverable_id
        and d.status <> 'draft'
        and exists (
          select 1
          from public.deliverable_versions v
          where v.deliverable_id = d.id
            and v.submitted_at is not null
        )
    )
  ) then
    perform realtime.send(v_payload, 'activity', 'client:' || new.client_id::text, true);
  end if;

  return null;
end;
$$;

revoke execute on function private.broadcast_activity() from public;

create trigger activity_broadcast
  after insert on public.activity
  for each row execute function private.broadcast_activity();

create function private.broadcast_comment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payload jsonb := jsonb_build_object(
    'kind', 'comment.' || case tg_op when 'INSERT' then 'created' else 'updated' end,
    'comment_id', new.id,
    'version_id', new.version_id,
    'deliverable_id', new.deliverable_id
  );
begin
  perform realtime.send(v_payload, 'comment', 'org:' || new.org_id::text, true);

  if new.visibility = 'client' and exists (
    select 1
    from public.deliverable_versions v
    join public.deliverables d on d.id = v.deliverable_id
    where v.id = new.version_id
      and v.submitted_at is not null
      and d.status <> 'draft'
  ) then
    perform realtime.send(v_payload, 'comment', 'client:' || new.client_id::text, true);
  end if;

  return null;
end;
$$;

revoke execute on function private.broadcast_comment() from public;

create trigger comments_broadcast
  after insert or update on public.comments
  for each row execute function private.broadcast_comment();

create function private.broadcast_notification()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object('kind', new.kind, 'notification_id', new.id, 'activity_id', new.activity_id),
    'notification',
    'user:' || new.recipient_user_id::text,
    true
  );

  return null;
end;
$$;

revoke execute on function private.broadcast_notification() from public;

create trigger notifications_broadcast
  after insert on public.notifications
  for each row execute function private.broadcast_notification();
