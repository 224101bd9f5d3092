drop table if exists public.group_message_stats;
-- The helper view depends on every messages column: dropped and recreated around the column.
drop view if exists public.messages_latest_per_group;
alter table public.messages drop column if exists sender_pn;
create or replace view public.messages_latest_per_group with (security_invoker = true) as
select distinct on (chat_id) *
from public.messages
order by chat_id, ts desc;
drop table if exists public.wa_lid_map;
alter table public.block_keywords drop column if exists reason;
