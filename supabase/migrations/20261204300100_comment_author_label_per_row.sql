-- Speed: public.comment_author_label looks at the one comment it is asked about instead of
-- listing everything the caller may see, once per comment row.
--
-- Objects: function public.comment_author_label(uuid) (replaced: same signature, grants,
-- comment, definer rights and search path; the same answer for every caller and comment).
-- Destructive: none.
--
-- The portal calls the label for each comment it lists. The first version compared the
-- comment's version with `array(select private.contact_version_ids())`, which lists every
-- submitted version of every deliverable of the caller's clients, and did so again for each
-- row: about 1 ms a row on a client with a hundred deliverables, 20 ms or more for a review
-- thread (bench/README.md). The steps below ask the same questions of this comment's own rows,
-- each an index lookup:
-- - "the caller is a member of the comment's org" is `c.org_id` in private.member_org_ids():
--   an org_members row of that org with the caller's user id;
-- - "the caller may review the comment's version" is `c.version_id` in
--   private.contact_version_ids(): the version is submitted, and its deliverable is out of
--   draft and belongs to a client the caller is an active (unrevoked) contact of. That helper's
--   last condition, that the deliverable has a submitted version, holds: this version is one.
-- The label itself follows the same order as before: the contact's name for a contact author;
-- the member's name to members of the org, or to anyone when the studio shows team names; the
-- studio's display name (else its name) otherwise.
-- PL/pgSQL so that each lookup is planned once per session, as a plain index lookup; planned
-- as one joined statement it hashed the whole of orgs, branding and org_members at every call.

create or replace function public.comment_author_label(p_comment_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_comment record;
  v_is_member boolean;
  v_branding record;
begin
  select c.org_id, c.version_id, c.visibility, c.deleted_at, c.author_contact_id,
    c.author_member_id
  into v_comment
  from public.comments c
  where c.id = p_comment_id;

  if not found then
    return null;
  end if;

  v_is_member := exists (
    select 1
    from public.org_members om
    where om.org_id = v_comment.org_id
      and om.user_id = v_uid
  );

  if not v_is_member and not (
    v_comment.visibility = 'client'
    and v_comment.deleted_at is null
    and exists (
      select 1
      from public.deliverable_versions v
      join public.deliverables d on d.id = v.deliverable_id
      join public.client_contacts ac on ac.client_id = d.client_id
      where v.id = v_comment.version_id
        and v.submitted_at is not null
        and d.status <> 'draft'
        and ac.user_id = v_uid
        and ac.revoked_at is null
    )
  ) then
    return null;
  end if;

  if v_comment.author_contact_id is not null then
    return (
      select cc.full_name from public.client_contacts cc where cc.id = v_comment.author_contact_id
    );
  end if;

  select b.display_name, b.show_team_names
  into v_branding
  from public.org_branding b
  where b.org_id = v_comment.org_id;

  if v_is_member or coalesce(v_branding.show_team_names, false) then
    return (
      select m.display_name from public.org_members m where m.id = v_comment.author_member_id
    );
  end if;

  return coalesce(
    v_branding.display_name,
    (select o.name from public.orgs o where o.id = v_comment.org_id)
  );
end;
$$;
