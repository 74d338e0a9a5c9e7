import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseConfigError, parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('reads absolute, relative and file:// SQLite URLs', () => {
    expect(parseDatabaseUrl('file:/srv/data/conveyor.db')).toEqual({ provider: 'sqlite', file: '/srv/data/conveyor.db' });
    expect(parseDatabaseUrl('file:./data/c.db')).toEqual({ provider: 'sqlite', file: path.resolve('data/c.db') });
    expect(parseDatabaseUrl('file:///srv/my%20data/c.db')).toEqual({ provider: 'sqlite', file: '/srv/my data/c.db' });
    expect(parseDatabaseUrl('file:/srv/c.db?connection_limit=1')).toEqual({ provider: 'sqlite', file: '/srv/c.db' });
    expect(parseDatabaseUrl('file::memory:')).toEqual({ provider: 'sqlite', file: ':memory:' });
  });

  it('recognises PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('postgresql://u:p@h:5432/db')).toEqual({ provider: 'postgresql', url: 'postgresql://u:p@h:5432/db' });
    expect(parseDatabaseUrl('postgres://h/db').provider).toBe('postgresql');
  });

  it('rejects other schemes without echoing a password', () => {
    expect(() => parseDatabaseUrl('mysql://root:secret@h/db')).toThrow(DatabaseConfigError);
    expect(() => parseDatabaseUrl('mysql://root:secret@h/db')).toThrow(/mysql:\/\/\*\*\*@h\/db/);
    expect(() => parseDatabaseUrl('file:')).toThrow(DatabaseConfigError);
  });
});
