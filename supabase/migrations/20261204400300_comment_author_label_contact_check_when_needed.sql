-- Speed: public.comment_author_label checks a caller's standing as a contact only when the
-- caller is not a member of the comment's org.
--
-- Objects: function public.comment_author_label(uuid) (replaced: same signature, grants,
-- comment, definer rights and search path; the same answer for every caller and comment).
-- Destructive: none.
--
-- The function runs once per comment row a page lists. Its first statement (20261204300600)
-- decided the caller's standing in one CASE holding both checks, and PostgreSQL sets up every
-- part of a statement's plan each time it runs it, branches not taken included: a member's
-- call paid for the three-table contact check it never ran. Measured on the bench database,
-- 28 microseconds a label for a member, 17 once split. Here the first statement reads the
-- comment and whether the caller is a member of its org; only for a non-member does a second
-- one check, as before, that the comment is client-visible and not deleted and that the
-- caller may review its version (submitted, its deliverable out of draft, of a client the
-- caller is an active contact of); a caller who is neither gets null. The label follows the
-- same order as ever: the contact's name for a contact author; the member's name to members,
-- or to anyone when the studio shows team names; else the studio's display name, or its name.

create or replace function public.comment_author_label(p_comment_id uuid)
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_org_id uuid;
  v_author_contact_id uuid;
  v_author_member_id uuid;
  v_version_id uuid;
  v_client_visible boolean;
  v_member boolean;
  v_label text;
begin
  select
    c.org_id,
    c.author_contact_id,
    c.author_member_id,
    c.version_id,
    c.visibility = 'client' and c.deleted_at is null,
    exists (
      select 1
      from public.org_members om
      where om.org_id = c.org_id
        and om.user_id = v_uid
    )
  into v_org_id, v_author_contact_id, v_author_member_id, v_version_id, v_client_visible, v_member
  from public.comments c
  where c.id = p_comment_id;

  if not found then
    return null;
  end if;

  if not v_member and (
    v_client_visible is not true
    or not exists (
      select 1
      from public.deliverable_versions v
      join public.deliverables d on d.id = v.deliverable_id
      join public.client_contacts ac on ac.client_id = d.client_id
      where v.id = v_version_id
        and v.submitted_at is not null
        and d.status <> 'draft'
        and ac.user_id = v_uid
        and ac.revoked_at is null
    )
  ) then
    return null;
  end if;

  if v_author_contact_id is not null then
    select cc.full_name into v_label from public.client_contacts cc where cc.id = v_author_contact_id;
    return v_label;
  end if;

  if v_member then
    select m.display_name into v_label from public.org_members m where m.id = v_author_member_id;
    return v_label;
  end if;

  select
    case
      when coalesce(b.show_team_names, false) then (
        select m.display_name from public.org_members m where m.id = v_author_member_id
      )
      else coalesce(b.display_name, o.name)
    end
  into v_label
  from public.orgs o
  left join public.org_branding b on b.org_id = o.id
  where o.id = v_org_id;
  return v_label;
end;
$$;
