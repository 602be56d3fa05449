// Loads programme files: YAML → `extends` resolved → zod shape → cross-references. A broken file
// never stops the others; its problems come back as Chinese messages naming file and path.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { expandRegionChoices, findReferenceProblems, unitKeyFieldOf } from './references.js';
import { type Campaign, type CampaignError, campaignFile } from './schema.js';

export type { CampaignError };

export interface CampaignCatalog {
  campaigns: Campaign[];
  errors: CampaignError[];
}

export interface CampaignSource {
  file: string;
  text: string;
}

type Raw = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars of the child replace the parent's; null removes. */
export function mergeCampaign(parent: Raw, child: Raw): Raw {
  const out: Raw = { ...parent };
  for (const [k, v] of Object.entries(child)) {
    if (v === null) delete out[k];
    else out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeCampaign(out[k] as Raw, v) : v;
  }
  return out;
}

/** Renders a path, naming list items by their label/title/id so authors find the place. */
export function formatPath(raw: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      node = Array.isArray(node) ? node[key] : undefined;
      if (isPlainObject(node)) {
        const name = node.label ?? node.title ?? node.id;
        if (typeof name === 'string') out += `（${name}）`;
      }
    } else {
      out += (out ? '.' : '') + String(key);
      node = isPlainObject(node) ? node[String(key)] : undefined;
    }
  }
  return out || '（文件顶层）';
}

const TYPE_NAMES: Record<string, string> = { string: '文字', number: '数字', boolean: 'true 或 false', array: '列表', object: '一组设置项', int: '整数' };

/** Chinese messages for zod's generic issues; the schema's own messages take precedence. */
function chineseIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '缺少这一项' : `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'unrecognized_keys':
      return `不认识的设置项：${issue.keys.join('、')}（请检查拼写）`;
    case 'too_small':
      return issue.origin === 'array'
        ? `至少要有 ${String(issue.minimum)} 项`
        : issue.origin === 'string'
          ? `不能少于 ${String(issue.minimum)} 个字`
          : `不能小于 ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `最多 ${String(issue.maximum)} 项`
        : issue.origin === 'string'
          ? `不能多于 ${String(issue.maximum)} 个字`
          : `不能大于 ${String(issue.maximum)}`;
    case 'invalid_value':
      return `应为以下之一：${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      return '格式不正确';
    case 'invalid_union':
      return '写法不符合任何一种允许的格式';
    default:
      return undefined;
  }
}

/** Pure core: sources in, campaigns and errors out. */
export function parseCampaignSources(sources: CampaignSource[]): CampaignCatalog {
  const errors: CampaignError[] = [];
  const raws = new Map<string, { raw: Raw; file: string }>();

  for (const { file, text } of sources) {
    const lines = new LineCounter();
    const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const at = lines.linePos(e.pos[0]);
      const colonHint = /compact mapping|Nested mappings|Implicit map keys/i.test(e.message) ? '（值里含有“冒号+空格”时请给整个值加引号）' : '';
      errors.push({ file, path: `第 ${at.line} 行第 ${at.col} 列`, message: `YAML 格式错误：${e.message.split('\n')[0]}${colonHint}` });
      continue;
    }
    const raw: unknown = doc.toJS();
    if (!isPlainObject(raw)) {
      errors.push({ file, path: '（文件顶层）', message: '文件内容应为一组设置项（键: 值）' });
      continue;
    }
    const id = raw.id;
    if (typeof id !== 'string') {
      errors.push({ file, path: 'id', message: '缺少项目 id' });
      continue;
    }
    const earlier = raws.get(id);
    if (earlier) {
      errors.push({ file, path: 'id', message: `项目 id「${id}」与 ${earlier.file} 重复` });
      continue;
    }
    raws.set(id, { raw, file });
  }

  const resolved = new Map<string, Raw | null>();
  function resolve(id: string, chain: string[]): Raw | null {
    if (resolved.has(id)) return resolved.get(id)!;
    const entry = raws.get(id)!;
    const parentId = entry.raw.extends;
    let merged: Raw | null = entry.raw;
    if (parentId !== undefined) {
      if (typeof parentId !== 'string' || !raws.has(parentId)) {
        errors.push({ file: entry.file, path: 'extends', message: `找不到被继承的项目「${String(parentId)}」` });
        merged = null;
      } else if (chain.includes(parentId)) {
        errors.push({ file: entry.file, path: 'extends', message: `继承关系出现循环：${[...chain, parentId].join(' → ')}` });
        merged = null;
      } else {
        const parent = resolve(parentId, [...chain, parentId]);
        if (!parent) {
          errors.push({ file: entry.file, path: 'extends', message: `被继承的项目「${parentId}」本身有错误` });
          merged = null;
        } else {
          const { extends: _ignored, ...parentOwn } = parent;
          merged = mergeCampaign(parentOwn, entry.raw);
        }
      }
    }
    resolved.set(id, merged);
    return merged;
  }

  const campaigns: Campaign[] = [];
  for (const [id, { file }] of raws) {
    const merged = resolve(id, [id]);
    if (!merged) continue;
    const parsed = campaignFile.safeParse(merged, { error: chineseIssue });
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 20)) errors.push({ file, path: formatPath(merged, issue.path), message: issue.message });
      continue;
    }
    const problems = findReferenceProblems(parsed.data);
    if (problems.length > 0) {
      for (const p of problems) errors.push({ file, path: formatPath(merged, p.path), message: p.message });
      continue;
    }
    const { extends: parent, ...own } = parsed.data;
    const { campaign, regionField } = expandRegionChoices(own);
    const unitKeyField = unitKeyFieldOf(campaign);
    campaigns.push({
      ...campaign,
      source: { file, ...(parent ? { extends: parent } : {}) },
      ...(regionField ? { regionField } : {}),
      ...(unitKeyField ? { unitKeyField } : {}),
    });
  }
  campaigns.sort((a, b) => a.id.localeCompare(b.id));
  return { campaigns, errors };
}

/** The programme files of a folder, or the problem reading it. */
export function readCampaignDir(dir: string): { sources: CampaignSource[]; errors: CampaignError[] } {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/i.test(n))
      .sort();
  } catch (error) {
    return { sources: [], errors: [{ file: dir, path: '（目录）', message: `无法读取项目目录：${(error as Error).message}` }] };
  }
  return { sources: names.map((n) => ({ file: basename(n), text: readFileSync(join(dir, n), 'utf8') })), errors: [] };
}

export function loadCampaignDir(dir: string): CampaignCatalog {
  const { sources, errors } = readCampaignDir(dir);
  return errors.length ? { campaigns: [], errors } : parseCampaignSources(sources);
}

/** The `id` a source declares, if it parses that far. */
export function declaredId(text: string): string | undefined {
  try {
    const raw: unknown = parseDocument(text).toJS();
    return isPlainObject(raw) && typeof raw.id === 'string' ? raw.id : undefined;
  } catch {
    return undefined;
  }
}

/** Folder files, with those of the same id replaced by the ones administrators activated in the chat. */
export function withActivated(folder: CampaignSource[], activated: { campaignId: string; source: CampaignSource }[]): CampaignSource[] {
  const replaced = new Set(activated.map((a) => a.campaignId));
  return [...folder.filter((s) => !replaced.has(declaredId(s.text) ?? '')), ...activated.map((a) => a.source)];
}

export function formatCampaignError(e: CampaignError): string {
  return `${e.file}：${e.path}：${e.message}`;
}
