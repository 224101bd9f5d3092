-- Sign-in limits fall back to take_rate_limit_slot's fixed windows (the server of the previous release).
drop function if exists public.take_sliding_rate_limit_slot(text, integer, integer);
