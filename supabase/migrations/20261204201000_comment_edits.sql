-- Editing, resolving and soft-deleting comments. Authors edit or delete only their own (a
-- contact their own client-visible comments, a member their own); the studio team resolves any
-- comment of its org. Nobody hard-deletes: a comment may be evidence behind a decision.
--
-- Objects: functions private.guard_comment_update(), public.delete_comment(uuid); trigger on
-- public.comments; an update grant (body, resolved_at) and two update policies on
-- public.comments.
-- Destructive: none.

-- Column grants cannot say "only the author may change the body", so this does. It runs as the
-- caller; service_role (background work) is not held to it.
create function private.guard_comment_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;

  if old.deleted_at is not null then
    raise exception 'A deleted comment cannot be changed.' using errcode = '42501';
  end if;

  if new.body is distinct from old.body
    and old.author_user_id is distinct from (select auth.uid())
  then
    raise exception 'Only its author can edit or delete a comment.' using errcode = '42501';
  end if;

  if new.resolved_at is distinct from old.resolved_at
    and not (old.org_id = any (array(select private.member_org_ids())))
  then
    raise exception 'Only the studio can resolve a comment.' using errcode = '42501';
  end if;

  -- The server's clock, not the caller's, dates an edit or a deletion.
  if new.body is distinct from old.body then
    new.edited_at := now();
  end if;
  if new.resolved_at is not null and old.resolved_at is null then
    new.resolved_at := now();
  end if;

  return new;
end;
$$;

revoke execute on function private.guard_comment_update() from public;

create trigger comments_guard_update
  before update on public.comments
  for each row execute function private.guard_comment_update();

grant update (body, resolved_at) on table public.comments to authenticated;

create policy "Members can update their org's comments"
  on public.comments for update
  to authenticated
  using (org_id = any (array(select private.member_org_ids())))
  with check (org_id = any (array(select private.member_org_ids())));

-- Only while they can still see the comment: a revoked contact edits nothing.
create policy "Contacts can edit and delete their own comments"
  on public.comments for update
  to authenticated
  using (
    visibility = 'client'
    and deleted_at is null
    and author_contact_id = any (array(
      select cc.id
      from public.client_contacts cc
      where cc.user_id = (select auth.uid())
        and cc.revoked_at is null
    ))
    and version_id = any (array(select private.contact_version_ids()))
  )
  with check (
    visibility = 'client'
    and author_contact_id = any (array(
      select cc.id
      from public.client_contacts cc
      where cc.user_id = (select auth.uid())
        and cc.revoked_at is null
    ))
  );

-- Definer: an update that hides the row from its author's own select policy (contacts do not
-- see deleted comments) is refused by RLS, so deletion cannot be a plain update. The checks
-- mirror the update policies: the author, while they may still see the comment.
create function public.delete_comment(p_comment_id uuid)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.comments c
  set deleted_at = now()
  where c.id = p_comment_id
    and c.deleted_at is null
    and c.author_user_id = (select auth.uid())
    and (
      (
        c.author_member_id is not null
        and c.org_id = any (array(select private.member_org_ids()))
      )
      or (
        c.visibility = 'client'
        and c.author_contact_id = any (array(
          select cc.id
          from public.client_contacts cc
          where cc.user_id = (select auth.uid())
            and cc.revoked_at is null
        ))
        and c.version_id = any (array(select private.contact_version_ids()))
      )
    );

  -- The same answer for "not yours", "already deleted" and "no such comment".
  if not found then
    raise exception 'Comment not found.' using errcode = 'P0001';
  end if;
end;
$$;

comment on function public.delete_comment(uuid) is
  'The author soft-deletes their own comment (deleted_at). Definer because a contact may not '
  'read a deleted comment, which RLS would require of the updated row.';

revoke execute on function public.delete_comment(uuid) from public, anon;
grant execute on function public.delete_comment(uuid) to authenticated;
