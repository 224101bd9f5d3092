drop index if exists public.messages_kind_ts_idx;
drop index if exists public.messages_chat_kind_ts_idx;
