-- Approve and request revision: the two client actions that change several rows at once.
--
-- Objects: functions private.record_review_decision(uuid, public.review_decision_kind, text),
-- public.approve_version(uuid, text), public.request_revision(uuid, text).
-- Destructive: none.

-- Contacts have no right to update deliverables or insert decisions and activity, so this runs
-- inside the definer functions below; it is not executable by anyone else. The refusals are
-- sentences the portal shows as they are.
create function private.record_review_decision(
  p_version_id uuid,
  p_decision public.review_decision_kind,
  p_note text
)
returns public.review_decisions
language plpgsql
set search_path = ''
as $$
declare
  -- Trims every kind of whitespace (btrim alone keeps newlines), so a blank note counts as none.
  v_note text := nullif(regexp_replace(p_note, '^\s+|\s+$', '', 'g'), '');
  v_version public.deliverable_versions;
  v_deliverable public.deliverables;
  v_contact public.client_contacts;
  v_decision public.review_decisions;
begin
  if p_decision = 'revision_requested' and v_note is null then
    raise exception 'Please describe the changes you would like.' using errcode = 'P0001';
  end if;

  select * into v_version from public.deliverable_versions v where v.id = p_version_id;

  if not found then
    raise exception 'Deliverable not found.' using errcode = 'P0001';
  end if;

  -- Serialises decisions on one deliverable: a concurrent second decision waits here, then
  -- finds the first one below.
  select * into v_deliverable
  from public.deliverables d
  where d.id = v_version.deliverable_id
  for update;

  select * into v_contact
  from public.client_contacts cc
  where cc.client_id = v_version.client_id
    and cc.user_id = (select auth.uid())
    and cc.revoked_at is null;

  -- Same answer for "no such version" and "not yours to see", so ids cannot be probed.
  if v_contact.id is null or v_version.submitted_at is null or v_deliverable.status = 'draft' then
    raise exception 'Deliverable not found.' using errcode = 'P0001';
  end if;

  if exists (select 1 from public.review_decisions r where r.version_id = v_version.id) then
    raise exception 'This version has already been reviewed.' using errcode = 'P0001';
  end if;

  if v_deliverable.current_version_id is distinct from v_version.id then
    raise exception 'Only the current version of a deliverable can be reviewed.'
      using errcode = 'P0001';
  end if;

  if v_deliverable.status <> 'in_review' then
    raise exception 'This version has already been reviewed.' using errcode = 'P0001';
  end if;

  insert into public.review_decisions (
    org_id, client_id, deliverable_id, version_id, contact_id, decided_by, decision, note
  )
  values (
    v_version.org_id, v_version.client_id, v_version.deliverable_id, v_version.id, v_contact.id,
    (select auth.uid()), p_decision, v_note
  )
  returning * into v_decision;

  update public.deliverables d
  set status = p_decision::text::public.deliverable_status
  where d.id = v_deliverable.id;

  insert into public.activity (
    org_id, client_id, kind, actor_user_id, episode_id, deliverable_id, review_decision_id,
    summary, client_visible
  )
  values (
    v_version.org_id, v_version.client_id, 'review.' || p_decision::text, (select auth.uid()),
    v_deliverable.episode_id, v_deliverable.id, v_decision.id,
    left(
      v_contact.full_name
        || case p_decision
          when 'approved' then ' approved '
          else ' requested a revision of '
        end
        || v_deliverable.title,
      500
    ),
    true
  );

  return v_decision;
end;
$$;

revoke execute on function private.record_review_decision(
  uuid, public.review_decision_kind, text
) from public;

-- Definer: the caller is a contact without rights on the rows this changes; the checks above
-- stand in for RLS.
create function public.approve_version(p_version_id uuid, p_note text default null)
returns public.review_decisions
language sql
security definer
set search_path = ''
as $$
  select * from private.record_review_decision(p_version_id, 'approved', p_note)
$$;

comment on function public.approve_version(uuid, text) is
  'An active contact of the version''s client approves the current submitted version, with an '
  'optional note. Definer because contacts cannot update deliverables or write activity.';

create function public.request_revision(p_version_id uuid, p_note text)
returns public.review_decisions
language sql
security definer
set search_path = ''
as $$
  select * from private.record_review_decision(p_version_id, 'revision_requested', p_note)
$$;

comment on function public.request_revision(uuid, text) is
  'An active contact of the version''s client asks for changes to the current submitted '
  'version; the note is required. Definer because contacts cannot update deliverables.';

revoke execute on function public.approve_version(uuid, text) from public, anon;
revoke execute on function public.request_revision(uuid, text) from public, anon;
grant execute on function public.approve_version(uuid, text) to authenticated;
grant execute on function public.request_revision(uuid, text) to authenticated;
