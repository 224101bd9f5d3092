import type { Statement } from './split.js';

/** Why a statement cannot run inside a transaction block, or null when it can. */
export function nonTransactionalReason(statement: Statement): string | null {
  const node = statement.node ?? {};
  const options = (node.params ?? node.options ?? []) as { DefElem?: { defname?: string } }[];
  const hasOption = (name: string) => options.some((option) => option.DefElem?.defname === name);
  switch (statement.kind) {
    case 'IndexStmt':
      return node.concurrent ? 'create index concurrently' : null;
    case 'ReindexStmt':
      return hasOption('concurrently') ? 'reindex concurrently' : null;
    case 'DropStmt':
      return node.concurrent ? 'drop index concurrently' : null;
    case 'VacuumStmt':
      return node.is_vacuumcmd === false ? null : 'vacuum';
    case 'AlterSystemStmt':
      return 'alter system';
    case 'CreatedbStmt':
      return 'create database';
    case 'DropdbStmt':
      return 'drop database';
    case 'CreateTableSpaceStmt':
      return 'create tablespace';
    case 'DropTableSpaceStmt':
      return 'drop tablespace';
    case 'CreateSubscriptionStmt':
      return 'create subscription';
    case 'TransactionStmt':
      return 'explicit transaction control';
    default:
      return null;
  }
}
