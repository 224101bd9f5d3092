-- The normalized catalog of what the migrations manage, in one round trip: objects of the public
-- schema (minus what extensions own), the extensions, and the rows the schema requires.
-- Expressions print relative to search_path public, so run under: set search_path = public, extensions.
with
ext_owned as (
  select objid from pg_depend where deptype = 'e'
),
tbl as (
  select c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    and c.oid not in (select objid from ext_owned)
)
select jsonb_build_object(
  'tables', coalesce((
    select jsonb_object_agg(t.relname, jsonb_build_object('rls', t.relrowsecurity, 'force_rls', t.relforcerowsecurity))
    from tbl t), '{}'),
  'columns', coalesce((
    select jsonb_object_agg(t.relname || '.' || a.attname, jsonb_build_object(
      'type', format_type(a.atttypid, a.atttypmod),
      'nullable', case when a.attnotnull then 'NO' else 'YES' end,
      'default', pg_get_expr(d.adbin, d.adrelid)))
    from tbl t
    join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
    left join pg_attrdef d on d.adrelid = t.oid and d.adnum = a.attnum), '{}'),
  'constraints', coalesce((
    select jsonb_object_agg(t.relname || '.' || con.conname, jsonb_build_object(
      'type', con.contype, 'definition', pg_get_constraintdef(con.oid)))
    from tbl t join pg_constraint con on con.conrelid = t.oid), '{}'),
  'indexes', coalesce((
    select jsonb_object_agg(ic.relname, jsonb_build_object('table', t.relname, 'definition', pg_get_indexdef(i.indexrelid), 'valid', i.indisvalid))
    from tbl t join pg_index i on i.indrelid = t.oid join pg_class ic on ic.oid = i.indexrelid), '{}'),
  'functions', coalesce((
    select jsonb_object_agg(p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', jsonb_build_object(
      'returns', pg_get_function_result(p.oid),
      'language', l.lanname,
      'security_definer', p.prosecdef,
      'volatility', p.provolatile,
      'search_path', (select string_agg(cfg, ',') from unnest(p.proconfig) cfg where cfg like 'search_path=%'),
      'body_md5', md5(p.prosrc)))
    from pg_proc p join pg_language l on l.oid = p.prolang
    where p.pronamespace = 'public'::regnamespace and p.oid not in (select objid from ext_owned)), '{}'),
  'triggers', coalesce((
    select jsonb_object_agg(t.relname || '.' || tg.tgname, jsonb_build_object(
      'definition', pg_get_triggerdef(tg.oid), 'enabled', tg.tgenabled))
    from tbl t join pg_trigger tg on tg.tgrelid = t.oid and not tg.tgisinternal), '{}'),
  'views', coalesce((
    select jsonb_object_agg(c.relname, jsonb_build_object(
      'kind', c.relkind, 'options', coalesce(c.reloptions, '{}'),
      -- PostgreSQL 15 prints columns qualified (messages.id), 16+ does not: hash without qualifiers.
      'definition_md5', md5(regexp_replace(regexp_replace(pg_get_viewdef(c.oid), '\m[a-z_][a-z0-9_$]*\.', '', 'gi'), '\s+', ' ', 'g'))))
    from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm')
      and c.oid not in (select objid from ext_owned)), '{}'),
  'policies', coalesce((
    select jsonb_object_agg(pol.tablename || '.' || pol.policyname, jsonb_build_object(
      'command', pol.cmd, 'permissive', pol.permissive, 'roles', to_jsonb(pol.roles),
      'using', pol.qual, 'check', pol.with_check))
    from pg_policies pol where pol.schemaname = 'public'), '{}'),
  'extensions', coalesce((
    select jsonb_object_agg(e.extname, jsonb_build_object('installed', true))
    from pg_extension e where e.extname <> 'plpgsql'), '{}')
) as catalog
