-- Speed: the authors of a deliverable's comments, labelled in one call per page instead of one
-- call per comment.
--
-- Objects: function public.comment_author_labels(uuid) (new; security definer, granted to
-- authenticated); public.comment_author_label(uuid) (replaced: same signature, grants, comment,
-- definer rights, search path and answers, now read from the new function).
-- Destructive: none.
--
-- comment_author_label(comment) ran once per row of the list a page shows, each call a definer
-- frame and three lookups: about 30 microseconds a comment, most of a long thread's time.
-- comment_author_labels(deliverable) decides the caller's standing once and labels every comment
-- of the deliverable the caller may see in one set-based query. The rules are unchanged, and
-- now live only here:
--
--   - members of the comment's studio get the author's name: the contact's or the member's;
--   - anyone else gets nothing unless they are an active contact of the deliverable's client
--     and the comment is client-visible (public.comments.client_visible, which includes the
--     deliverable being out of draft and the version submitted); then a contact author's name,
--     a member author's name only when the studio shows team names, and otherwise the studio's
--     display name, or its name.
--
-- A caller who may not see the deliverable gets no rows: the function cannot be used to probe
-- for names, and it answers an unknown id and a forbidden one alike.

create function public.comment_author_labels(p_deliverable_id uuid)
returns table (comment_id uuid, author text)
language plpgsql
stable
security definer
set search_path = ''
-- Measured on the bench database: with custom plans PostgreSQL planned the label query anew on
-- every call (its generic plan looked costlier, being unsure which CASE branch runs), 100
-- microseconds a call against 38 with the plan kept. Every statement here reads by primary key
-- or by deliverable, so one plan suits every argument.
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_org_id uuid;
  v_member boolean;
  v_contact boolean;
  v_show_team_names boolean;
  v_studio_label text;
begin
  select
    d.org_id,
    exists (
      select 1 from public.org_members om where om.org_id = d.org_id and om.user_id = v_uid
    ),
    d.client_visible and exists (
      select 1
      from public.client_contacts cc
      where cc.client_id = d.client_id
        and cc.user_id = v_uid
        and cc.revoked_at is null
    )
  into v_org_id, v_member, v_contact
  from public.deliverables d
  where d.id = p_deliverable_id;

  -- Authors are looked up by primary key per comment: a thread has tens of comments, and
  -- reading the studio's whole team or contact list to join them would cost more. A comment's
  -- contact author is always a contact of the comment's client (the composite key
  -- (author_contact_id, client_id)), so a contact only ever learns fellow contacts' names.
  if coalesce(v_member, false) then
    return query
    select c.id, coalesce(
      (select ac.full_name from public.client_contacts ac where ac.id = c.author_contact_id),
      (select am.display_name from public.org_members am where am.id = c.author_member_id)
    )
    from public.comments c
    where c.deliverable_id = p_deliverable_id;
    return;
  end if;

  if not coalesce(v_contact, false) then
    return;
  end if;

  -- Every comment of a deliverable belongs to its studio (composite keys), so the studio's
  -- choices are read once for the whole thread.
  select coalesce(b.show_team_names, false), coalesce(b.display_name, o.name)
  into v_show_team_names, v_studio_label
  from public.orgs o
  left join public.org_branding b on b.org_id = o.id
  where o.id = v_org_id;

  return query
  select
    c.id,
    case
      when c.author_contact_id is not null then (
        select ac.full_name from public.client_contacts ac where ac.id = c.author_contact_id
      )
      when v_show_team_names then (
        select am.display_name from public.org_members am where am.id = c.author_member_id
      )
      else v_studio_label
    end
  from public.comments c
  where c.deliverable_id = p_deliverable_id
    and c.client_visible;
end;
$$;

comment on function public.comment_author_labels(uuid) is
  'How each comment author of a deliverable is shown to the caller; no rows for a caller who may not see it.';

revoke execute on function public.comment_author_labels(uuid) from public;
grant execute on function public.comment_author_labels(uuid) to authenticated;

-- The one-comment form stays for callers that show a single comment; it asks the function
-- above, so the rules cannot drift apart. It labels the comment's whole thread to do so: call
-- comment_author_labels for a list, never this once per row.
create or replace function public.comment_author_label(p_comment_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_label text;
begin
  select l.author
  into v_label
  from public.comments c
  cross join lateral public.comment_author_labels(c.deliverable_id) l
  where c.id = p_comment_id
    and l.comment_id = c.id;
  return v_label;
end;
$$;
