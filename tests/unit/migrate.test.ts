// The per-dialect SQL migrations: splitting files into statements, and both dialects in step.
import { describe, expect, it } from 'vitest';
import { loadMigrations, splitStatements } from '../../src/db/migrate.js';

describe('splitStatements', () => {
  it.each<[string, string, string[]]>([
    ['one statement', 'CREATE TABLE a (x INT);', ['CREATE TABLE a (x INT)']],
    ['no final semicolon', 'SELECT 1', ['SELECT 1']],
    ['two lines', 'CREATE TABLE a (x INT);\nCREATE INDEX i ON a(x);\n', ['CREATE TABLE a (x INT)', 'CREATE INDEX i ON a(x)']],
    ['CRLF line ends', 'SELECT 1;\r\nSELECT 2;\r\n', ['SELECT 1', 'SELECT 2']],
    ['trailing spaces and tabs after ;', 'SELECT 1;   \t\nSELECT 2;  ', ['SELECT 1', 'SELECT 2']],
    ['blank lines between', 'SELECT 1;\n\n\n\nSELECT 2;\n\n', ['SELECT 1', 'SELECT 2']],
    ['whole-line comments', '-- header\n-- more\nCREATE TABLE a (x INT);\n-- between\nSELECT 2;\n-- trailer\n', ['CREATE TABLE a (x INT)', 'SELECT 2']],
    ['indented comment', '  -- note\nSELECT 1;', ['SELECT 1']],
    ['only comments and whitespace', '-- nothing here\n\n   \n-- really\n', []],
    ['empty', '', []],
    ['a ; inside a line is not a split point', "INSERT INTO a VALUES ('x;y');\nSELECT 1;", ["INSERT INTO a VALUES ('x;y')", 'SELECT 1']],
    ['-- inside a string on the same line is kept', "SELECT '--x';\n", ["SELECT '--x'"]],
    [
      'a multi-line statement keeps its inner lines',
      'CREATE TABLE "A" (\n    "id" TEXT NOT NULL,\n    "n" INTEGER\n);\n',
      ['CREATE TABLE "A" (\n    "id" TEXT NOT NULL,\n    "n" INTEGER\n)'],
    ],
    [
      'a SQLite trigger body is one statement',
      'CREATE TRIGGER t AFTER UPDATE ON a\nBEGIN\n  UPDATE b SET x = 1;\n  -- why\n  INSERT INTO c VALUES (1);\nEND;\nSELECT 1;',
      ['CREATE TRIGGER t AFTER UPDATE ON a\nBEGIN\n  UPDATE b SET x = 1;\n  INSERT INTO c VALUES (1);\nEND', 'SELECT 1'],
    ],
    [
      'a PostgreSQL $$ body is one statement',
      'CREATE FUNCTION f() RETURNS void AS $$\nBEGIN\n  PERFORM 1;\nEND;\n$$ LANGUAGE plpgsql;\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();',
      [
        'CREATE FUNCTION f() RETURNS void AS $$\nBEGIN\n  PERFORM 1;\nEND;\n$$ LANGUAGE plpgsql',
        'CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()',
      ],
    ],
  ])('%s', (_name, sql, statements) => {
    expect(splitStatements(sql)).toEqual(statements);
  });
});

describe('loadMigrations', () => {
  const sqlite = loadMigrations('sqlite');
  const postgres = loadMigrations('postgres');

  it('finds at least the foundation migration for each dialect', () => {
    expect(sqlite.length).toBeGreaterThan(0);
    expect(sqlite[0]!.name).toBe('0001_foundation');
  });

  it('both dialects have the same migration names in the same order', () => {
    expect(postgres.map((m) => m.name)).toEqual(sqlite.map((m) => m.name));
  });

  it('names sort in file order and follow NNNN_name', () => {
    const names = sqlite.map((m) => m.name);
    expect([...names].sort()).toEqual(names);
    for (const n of names) expect(n).toMatch(/^\d{4}_[a-z0-9_]+$/);
  });

  it.each(['sqlite', 'postgres'] as const)('%s: every migration has statements, none empty or with a leftover ;', (dialect) => {
    for (const m of loadMigrations(dialect)) {
      expect(m.statements.length).toBeGreaterThan(0);
      for (const s of m.statements) {
        expect(s.trim()).toBe(s);
        expect(s).not.toBe('');
        expect(s.endsWith(';')).toBe(false);
      }
    }
  });

  it('each migration creates the same tables in both dialects', () => {
    const tables = (statements: string[]) =>
      statements
        .map((s) => /^CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?/i.exec(s)?.[1])
        .filter((t): t is string => t !== undefined)
        .sort();
    for (let i = 0; i < sqlite.length; i++) {
      expect(tables(postgres[i]!.statements)).toEqual(tables(sqlite[i]!.statements));
    }
    expect(tables(sqlite.flatMap((m) => m.statements))).toEqual(expect.arrayContaining(['InboxEvent', 'OutboxMessage']));
  });

  it('each migration creates the same indexes, and triggers on the same tables, in both dialects', () => {
    const made = (statements: string[], what: RegExp) =>
      [...new Set(statements.map((s) => what.exec(s)?.[1]).filter((t): t is string => t !== undefined))].sort();
    const index = /^CREATE (?:UNIQUE )?INDEX "?(\w+)"?/i;
    const triggerOn = /^CREATE TRIGGER "?\w+"? AFTER [\w\s]+? ON "?(\w+)"?/i;
    for (let i = 0; i < sqlite.length; i++) {
      expect(made(postgres[i]!.statements, index)).toEqual(made(sqlite[i]!.statements, index));
      expect(made(postgres[i]!.statements, triggerOn)).toEqual(made(sqlite[i]!.statements, triggerOn));
    }
  });
});
