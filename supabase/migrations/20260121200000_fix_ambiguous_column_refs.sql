-- Seed 000's fix for "column reference 'workspace_id' is ambiguous": the entitlement and token
-- functions are written with the alias we and table-qualified columns (and
-- #variable_conflict use_column) since 20260110000000. What remains is the legacy duplicate
-- unique index on workspace_entitlements (workspace_id, key), which the primary key covers.
do $$
declare
  v_index record;
begin
  for v_index in
    select i.indexrelid::regclass as index_name, con.conname as constraint_name
    from pg_index i
    join pg_index pk on pk.indrelid = i.indrelid and pk.indisprimary
    left join pg_constraint con on con.conindid = i.indexrelid and con.contype = 'u'
    where i.indrelid = 'public.workspace_entitlements'::regclass
      and i.indisunique
      and not i.indisprimary
      and i.indpred is null
      and i.indexprs is null
      and (select array_agg(a order by a) from unnest(i.indkey::int2[]) a) =
          (select array_agg(a order by a) from unnest(pk.indkey::int2[]) a)
  loop
    if v_index.constraint_name is not null then
      execute format('alter table public.workspace_entitlements drop constraint %I', v_index.constraint_name);
    else
      execute format('drop index %s', v_index.index_name);
    end if;
  end loop;
end
$$;
