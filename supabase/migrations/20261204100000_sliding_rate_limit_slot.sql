-- A sliding-window limit for failed sign-ins. A fixed window lets a guesser spend the cap at the
-- end of one minute and again at the start of the next (twice the cap within seconds); here the
-- previous window still counts in proportion to how much of it the sliding window covers, the
-- estimate Cloudflare and nginx-style limiters use. Rows are the same counters as
-- take_rate_limit_slot's, so callers give a slot back by decrementing the window it returns.
create or replace function public.take_sliding_rate_limit_slot(p_key text, p_cap integer, p_window_seconds integer)
returns table (granted boolean, slot_window timestamptz, retry_after_seconds integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now double precision := extract(epoch from clock_timestamp());
  v_start double precision;
  v_window timestamptz;
  v_elapsed double precision;
  v_current integer;
  v_previous integer;
  v_wait double precision;
begin
  if p_key is null or p_cap is null or p_cap < 1 or p_window_seconds is null or p_window_seconds < 1 then
    raise exception using errcode = '22023', message = 'invalid_rate_limit';
  end if;
  v_start := floor(v_now / p_window_seconds) * p_window_seconds;
  v_window := to_timestamp(v_start);
  v_elapsed := (v_now - v_start) / p_window_seconds;
  -- The current window's row is the lock that makes concurrent callers exact.
  insert into public.rate_limit_counters as c (key, window_start, count)
  values (p_key, v_window, 0)
  on conflict (key, window_start) do nothing;
  select c.count into v_current from public.rate_limit_counters c
  where c.key = p_key and c.window_start = v_window for update;
  select coalesce(max(c.count), 0) into v_previous from public.rate_limit_counters c
  where c.key = p_key and c.window_start = v_window - make_interval(secs => p_window_seconds);
  if v_previous * (1 - v_elapsed) + v_current + 1 <= p_cap then
    update public.rate_limit_counters c set count = c.count + 1
    where c.key = p_key and c.window_start = v_window;
    if random() < 0.02 then
      delete from public.rate_limit_counters c
      where c.key = p_key and c.window_start < v_window - make_interval(secs => p_window_seconds);
    end if;
    return query select true, v_window, 0;
    return;
  end if;
  -- Refused: the first moment the estimate leaves room for one more, in this window or the next.
  if v_current + 1 <= p_cap then
    v_wait := (1 - (p_cap - 1 - v_current)::double precision / v_previous - v_elapsed) * p_window_seconds;
  else
    v_wait := (1 - v_elapsed) * p_window_seconds
      + greatest(0, 1 - (p_cap - 1)::double precision / v_current) * p_window_seconds;
  end if;
  return query select false, null::timestamptz, greatest(1, ceil(v_wait))::integer;
end
$$;

revoke execute on function public.take_sliding_rate_limit_slot(text, integer, integer) from public, anon, authenticated;
grant execute on function public.take_sliding_rate_limit_slot(text, integer, integer) to service_role;
