-- Who may join which private Realtime channel. Realtime authorises a join by reading
-- realtime.messages as the user with realtime.topic() set to the channel's topic, so these
-- policies are the whole of it. Topics: client:<client_id> (the client's active contacts),
-- org:<org_id> (the studio's members), user:<user_id> (one person's notifications).
--
-- Objects: function private.realtime_topics(); a policy on realtime.messages.
-- Destructive: none. No insert policy: clients cannot broadcast; only the database does.

-- Definer like the other helpers; read at every join, so a revoked contact cannot rejoin.
create function private.realtime_topics()
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select 'user:' || (select auth.uid())::text
  where (select auth.uid()) is not null
  union all
  select 'org:' || org_id::text from private.member_org_ids() as org_id
  union all
  select 'client:' || client_id::text from private.active_client_ids() as client_id
$$;

revoke execute on function private.realtime_topics() from public;
grant execute on function private.realtime_topics() to authenticated;

-- The row's own topic must match too, so a session that set realtime.topic cannot read the
-- messages of other channels.
create policy "Users can receive broadcasts on their own client, org and user topics"
  on realtime.messages for select
  to authenticated
  using (
    extension = 'broadcast'
    and topic = (select realtime.topic())
    and (select realtime.topic()) = any (array(select private.realtime_topics()))
  );
