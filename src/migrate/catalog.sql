-- The normalized catalog of what the migrations manage, in one round trip: objects of the public
-- schema (minus what extensions own), the extensions, and the rows the schema requires.
-- Expressions print relative to search_path public, so run under: set search_path = public, extensions.
with
ext_owned as (
  select objid from pg_depend where deptype = 'e'
),
me as (
  select oid from pg_roles where rolname = current_user
),
tbl as (
  select c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    and c.oid not in (select objid from ext_owned)
),
-- One row per object and grantee: '<kind> <name> to <grantee>'. The object's owner shows as
-- 'owner', the reading role as 'current_user', so locks made by another role compare equal.
-- PostgreSQL 17 adds MAINTAIN to ALL (arwdDxt -> arwdDxtm): it is dropped where the grantee holds
-- other privileges on the object too (it came with ALL), and kept where it was granted alone, so a
-- lock made on 15 and a database on 17 (or back) compare equal.
acl_objects as (
  select case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'view' else 'table' end || ' ' || c.relname as name,
    c.relowner as owner, coalesce(c.relacl, acldefault(case when c.relkind = 'S' then 's'::"char" else 'r'::"char" end, c.relowner)) as acl
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S')
    and c.oid not in (select objid from ext_owned)
  union all
  select 'column ' || c.relname || '.' || a.attname, c.relowner, a.attacl
  from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
    and c.oid not in (select objid from ext_owned)
  union all
  select 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner,
    coalesce(p.proacl, acldefault('f'::"char", p.proowner))
  from pg_proc p
  where p.pronamespace = 'public'::regnamespace and p.oid not in (select objid from ext_owned)
  union all
  select 'default ' || case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions'
      when 'T' then 'types' else 'schemas' end
    || ' of ' || case when d.defaclrole = me.oid then 'current_user' else pg_get_userbyid(d.defaclrole) end
    || case when d.defaclnamespace = 0 then '' else ' in ' || d.defaclnamespace::regnamespace::text end, d.defaclrole, d.defaclacl
  from pg_default_acl d cross join me
  where d.defaclnamespace in (0, 'public'::regnamespace)
),
acl_items as (
  select o.name,
    case when x.grantee = 0 then 'public' when x.grantee = o.owner then 'owner' when x.grantee = me.oid then 'current_user'
      else pg_get_userbyid(x.grantee) end as grantee,
    x.privilege_type || case when x.is_grantable then '*' else '' end as privilege,
    x.privilege_type as bare
  from acl_objects o cross join lateral aclexplode(o.acl) x cross join me
),
grants as (
  select i.name || ' to ' || i.grantee as name,
    string_agg(i.privilege, ',' order by i.privilege) filter (where i.bare <> 'MAINTAIN' or i.held = 1) as privileges
  from (select a.*, count(*) over (partition by a.name, a.grantee) as held from acl_items a) i
  group by i.name, i.grantee
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
      'arguments', pg_get_function_arguments(p.oid),
      'owner', case when p.proowner = me.oid then 'current_user' else pg_get_userbyid(p.proowner) end,
      'config', (select string_agg(cfg, ',' order by cfg) from unnest(p.proconfig) cfg),
      'body_md5', md5(p.prosrc)))
    from pg_proc p join pg_language l on l.oid = p.prolang cross join me
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
  'privileges', coalesce((select jsonb_object_agg(g.name, jsonb_build_object('privileges', g.privileges)) from grants g), '{}'),
  'sequences', coalesce((
    select jsonb_object_agg(c.relname, jsonb_build_object(
      'type', format_type(s.seqtypid, null), 'increment', s.seqincrement::text, 'min', s.seqmin::text, 'max', s.seqmax::text,
      'start', s.seqstart::text, 'cycle', s.seqcycle,
      'owned_by', (select t.relname || '.' || a.attname from pg_depend d
        join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i') limit 1)))
    from pg_class c join pg_sequence s on s.seqrelid = c.oid
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'S' and c.oid not in (select objid from ext_owned)), '{}'),
  'types', coalesce((
    select jsonb_object_agg(t.typname, case t.typtype
      when 'e' then jsonb_build_object('kind', 'enum',
        'labels', (select jsonb_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid))
      else jsonb_build_object('kind', 'domain', 'base', format_type(t.typbasetype, t.typtypmod), 'not_null', t.typnotnull,
        'default', t.typdefault,
        'checks', (select jsonb_agg(pg_get_constraintdef(con.oid) order by con.conname) from pg_constraint con
          where con.contypid = t.oid and con.contype = 'c'))
      end)
    from pg_type t
    where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd') and t.oid not in (select objid from ext_owned)), '{}'),
  'extensions', coalesce((
    select jsonb_object_agg(e.extname, jsonb_build_object('installed', true))
    from pg_extension e where e.extname <> 'plpgsql'), '{}')
) as catalog
