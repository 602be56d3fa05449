// A reproducible province-scale database (issue 22): the bot's schema by its own migrations, then
// every table filled with bulk inserts (better-sqlite3 prepared statements in big transactions on
// SQLite; multi-row INSERTs on PostgreSQL), deterministic for a seed. The returned manifest names
// the programmes, people and applications the scale benchmark clicks on.
//
//   npm run seed:scale -- --dialect sqlite|postgres [--url …] [--applications 100000] [--seed 1]
//
// Targets given for N = 100,000 scale as min(target, target × N / 100,000): 300 pending tasks for
// ou_scale_reviewer, about 5,000 pending tasks in all, 500 scored applications on the ranking card;
// weihai-2024 keeps ≥ 2,000 submitted applications once N ≥ 10,000.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { campaignFamily } from '../../src/campaigns/family.js';
import { loadCampaignDir } from '../../src/campaigns/loader.js';
import { beijingDay } from '../../src/campaigns/schedule.js';
import type { Campaign, Field, ScalarField, Stage } from '../../src/campaigns/schema.js';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { aggregateScores } from '../../src/forms/rubric.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { creditCodeCheckChar, idNumberCheckChar } from '../../src/rules/index.js';
import { storedAnswers } from '../../tests/helpers/fixtures.js';
import { throwawayDatabase } from '../lib/figures.js';

export type Dialect = 'sqlite' | 'postgres';

export interface ScaleManifest {
  dialect: Dialect;
  url: string;
  applications: number;
  seed: number;
  /** Rows per table. */
  counts: Record<string, number>;
  seconds: number;
  /** Seconds and rows per second per table (as inserted). */
  timings: Record<string, { seconds: number; rowsPerSecond: number }>;
  /** What the targets became at this N (see the top of this file). */
  targets: { reviewerPending: number; pendingTotal: number; ranking: number; exportSubmitted: number };
  actors: {
    /** Put in ADMIN_IDS. */
    admin: string;
    reviewer: string;
    reviewerCampaign: string;
    reviewerStage: string;
    bigCampaign: string;
    exportCampaign: string;
    rankingCampaign: string;
    rankingStage: string;
    studioProgramme: string;
    timelineApplicationId: string;
    /** An applicant with a submitted application (进度). */
    applicant: string;
    applicantApplicationId: string;
    /** The open 公示 ending today (Beijing) and its programme. */
    openNoticeId: string;
    openNoticeCampaign: string;
    /** An evaluation programme in progress and its family. */
    evaluationCampaign: string;
  };
}

export interface SeedOptions {
  dialect: Dialect;
  url: string;
  applications: number;
  seed?: number;
  log?: (s: string) => void;
  /** Defaults to the programme files in campaigns/. */
  campaignsDir?: string;
  /** The clock the data is laid out around (defaults to now). */
  now?: Date;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** A stable 32-bit seed for (seed, parts…). */
function subSeed(seed: number, ...parts: (string | number)[]): number {
  return createHash('sha1')
    .update(`${seed}:${parts.join(':')}`)
    .digest()
    .readInt32LE(0);
}
const stableHex = (seed: number, key: string, n = 32) => createHash('sha1').update(`${seed}:${key}`).digest('hex').slice(0, n);
/** A UUID-shaped id unique to (seed, key): ids never come from the PRNG, whose streams may overlap. */
const uuidOf = (seed: number, key: string) => {
  const h = stableHex(seed, key);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

// ---------------------------------------------------------------------------------------------
// Realistic values

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红海波宁辉鹏飞斌宇浩凯健俊帆鑫晨阳晓东春雪梅亮林峰成琳新利清德胜文云';
const UNIT_WORDS = [
  '精工',
  '海洋',
  '重工',
  '机械',
  '电气',
  '港务',
  '化工',
  '纺织',
  '食品',
  '船舶',
  '汽车',
  '轨道',
  '电力',
  '建工',
  '医药',
  '数控',
  '光电',
  '环保',
  '水产',
  '农机',
];
const UNIT_KINDS = ['有限公司', '股份有限公司', '集团有限公司', '制造有限公司', '科技有限公司', '职业技术学院', '技师学院'];
const OCCUPATIONS = [
  '数控车工',
  '焊工',
  '电工',
  '钳工',
  '装配钳工',
  '维修电工',
  '汽车维修工',
  '化工总控工',
  '中式烹调师',
  '船舶电焊工',
  '工具钳工',
  '铣工',
  '磨工',
  '电气值班员',
  '仪器仪表维修工',
];
const PHRASES = [
  '围绕企业生产经营中的关键技术难题开展攻关，',
  '组织技术骨干开展技术革新和工艺改进，',
  '累计带徒传艺培养高技能人才',
  '名，其中取得技师以上职业资格的',
  '人次，',
  '完成技术改造项目多项，年节约生产成本约',
  '万元，',
  '在省市职业技能竞赛中多次获得一等奖，',
  '建立健全了工作室管理制度、培训制度和考核制度，',
  '工作室配备专用场地和实训设备，设备总值约',
  '单位每年安排专项经费用于工作室建设和运行，',
  '积极开展技术交流和对外服务活动，',
  '推广应用先进操作法和绝技绝活，',
  '与职业院校开展校企合作和联合培养，',
  '获得国家实用新型专利和发明专利授权',
  '项。',
  '下一步将继续发挥技能大师示范引领作用，',
  '制定年度培训计划并按季度组织实施。',
];
const REASONS = [
  '请补充领办人近三年的获奖证书扫描件',
  '团队成员职业资格等级与证书不一致，请核对',
  '单位意见未盖章，请补充',
  '申报书中工作室场地面积前后不一致',
  '缺少单位近两年经营状况说明',
];
const REJECTS = ['领办人不符合申报条件（职业资格等级不足）', '申报单位不在本地区注册', '材料存在明显不实'];
const AREA_CODES = ['371002', '371003', '371082', '371083', '330105', '330106', '330302', '320111', '321181', '420102', '420106', '420111'];
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const nameOf = (r: Rng) => r.pick(SURNAMES.split('')) + r.pick(GIVEN.split('')) + (r.chance(0.7) ? r.pick(GIVEN.split('')) : '');
const mobileOf = (r: Rng) => `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(1e9)).padStart(9, '0')}`;

/** A valid 统一社会信用代码, unique per index. */
function creditCodeFor(index: number, r: Rng): string {
  let body = '';
  let n = index;
  for (let i = 0; i < 9; i++) {
    body = CREDIT_ALPHABET[n % 31]! + body;
    n = Math.floor(n / 31);
  }
  const first17 = `91${r.pick(AREA_CODES)}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

/** A valid ID number of a man born 1975-06-15 (what the fixtures' birth date and gender checks expect). */
function idNumberOf(r: Rng): string {
  const seq = String(r.int(100)).padStart(2, '0') + String(r.int(5) * 2 + 1);
  const first17 = `${r.pick(AREA_CODES)}19750615${seq}`;
  return first17 + idNumberCheckChar(first17);
}

function prose(r: Rng, chars: number): string {
  let s = '';
  while (s.length < chars) s += r.pick(PHRASES) + (r.chance(0.3) ? String(r.between(2, 300)) : '');
  return s.slice(0, chars);
}

// ---------------------------------------------------------------------------------------------
// The plan: which application is where

type Position =
  | 'draft'
  | 'withdrawn'
  | 'returned' // returned at a review stage, not resubmitted
  | 'rejected' // rejected at a review stage
  | 'not_recommended'
  | 'not_selected'
  | 'designated'
  | 'review_pending' // at a review stage, tasks pending
  | 'scoring_partial' // at a scoring stage, some experts still to score
  | 'scored_waiting' // at a scoring stage, every expert scored: on the ranking card
  | 'recommend_waiting' // at a recommend stage
  | 'publicity' // on 公示
  | 'publish_waiting' // at a publish stage
  | 'evaluated'
  | 'absent';

interface Identity {
  unitName: string;
  leader: string;
  occupation: string;
  studioName: string;
  creditCode: string;
  region: string | null;
}

interface PlanItem {
  index: number;
  c: Campaign;
  position: Position;
  /** The stage the position refers to. */
  stageIdx: number;
  applicantId: string;
  who: Identity;
  studioId?: string;
  createdAt: Date;
  /** Set once numbers are given (non-draft). */
  number?: string;
  id: string;
}

interface StudioRow {
  id: string;
  campaignId: string;
  applicationId: string | null;
  name: string;
  unitName: string;
  year: number;
  designatedAt: Date;
  programme: string;
  region: string | null;
  leaderName: string;
  occupation: string;
  contactId: string | null;
  contactName: string | null;
  contactPhone: string | null;
  claimCode: string | null;
  status: string;
  source: string;
}

const DAY = 86_400_000;
const allFields = (c: Campaign): Field[] => c.form.sections.flatMap((s) => s.fields);

// ---------------------------------------------------------------------------------------------
// Writers: one table at a time, bulk

interface TableWriter {
  add(row: unknown[]): void | Promise<void>;
  end(): Promise<void>;
}

interface Sink {
  dialect: Dialect;
  date(d: Date): string;
  bool(b: boolean): number | boolean;
  table(name: string, columns: string[]): TableWriter;
  exec(sql: string): Promise<void>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

function sqliteSink(url: string): Sink {
  const db = new BetterSqlite3(url.replace(/^file:/, ''));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  return {
    dialect: 'sqlite',
    date: (d) => d.toISOString().replace('Z', '+00:00'),
    bool: (b) => (b ? 1 : 0),
    table(name, columns) {
      const stmt = db.prepare(`INSERT INTO "${name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      let n = 0;
      db.exec('BEGIN');
      return {
        add(row) {
          stmt.run(...(row as unknown[]));
          if (++n % 100_000 === 0) {
            db.exec('COMMIT');
            db.exec('BEGIN');
          }
        },
        async end() {
          db.exec('COMMIT');
        },
      };
    },
    exec: async (sql) => {
      db.exec(sql);
    },
    query: async <T>(sql: string) => db.prepare(sql).all() as T[],
    close: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

async function postgresSink(url: string): Promise<Sink> {
  // No triggers while seeding (the mirror triggers would queue an outbox row per Mirror row), and
  // no waiting for the WAL flush at each commit; three connections insert batches side by side.
  const pool = new pg.Pool({ connectionString: url, max: 3, options: '-c session_replication_role=replica -c synchronous_commit=off' });
  return {
    dialect: 'postgres',
    // Prisma's TIMESTAMP(3) columns hold UTC without a zone (as hotPath sends them).
    date: (d) => d.toISOString().replace('T', ' ').replace('Z', ''),
    bool: (b) => b,
    table(name, columns) {
      const perBatch = Math.min(1000, Math.floor(60_000 / columns.length));
      const head = `INSERT INTO "${name}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
      const placeholders = new Map<number, string>();
      const sqlFor = (rows: number) => {
        let s = placeholders.get(rows);
        if (!s) {
          const parts: string[] = [];
          for (let i = 0; i < rows; i++) parts.push(`(${columns.map((_, j) => `$${i * columns.length + j + 1}`).join(', ')})`);
          s = head + parts.join(', ');
          placeholders.set(rows, s);
        }
        return s;
      };
      let buffer: unknown[] = [];
      let rows = 0;
      const inFlight: Promise<unknown>[] = [];
      const flush = async () => {
        if (!rows) return;
        inFlight.push(pool.query(sqlFor(rows), buffer));
        buffer = [];
        rows = 0;
        if (inFlight.length >= 3) await inFlight.shift();
      };
      return {
        add(row) {
          for (const v of row) buffer.push(v);
          if (++rows >= perBatch) return flush();
        },
        async end() {
          await flush();
          await Promise.all(inFlight);
        },
      };
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    query: async <T>(sql: string) => (await pool.query(sql)).rows as T[],
    close: async () => {
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------

export async function seedScale(opts: SeedOptions): Promise<ScaleManifest> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 1;
  const N = opts.applications;
  const now = opts.now ?? new Date();
  const today = beijingDay(now);
  const catalog = loadCampaignDir(opts.campaignsDir ?? resolve(PROJECT_ROOT, 'campaigns'));
  if (catalog.errors.length) throw new Error(`programme files: ${JSON.stringify(catalog.errors)}`);
  const campaigns = catalog.campaigns;
  const byId = (id: string) => {
    const c = campaigns.find((x) => x.id === id);
    if (!c) throw new Error(`no programme ${id}`);
    return c;
  };

  // The schema, as the bot makes it at start.
  const bot = openDatabase({ dialect: opts.dialect, url: opts.url });
  await migrate(bot);
  await bot.close();

  const scaled = (target: number) => Math.max(1, Math.min(target, Math.round((target * N) / 100_000)));
  const targets = {
    reviewerPending: scaled(300),
    pendingTotal: scaled(5000),
    ranking: scaled(500),
    exportSubmitted: N >= 10_000 ? 2000 : Math.max(1, Math.round(N * 0.08 * 0.85)),
  };

  const person = (key: string) => `ou_${stableHex(seed, key)}`;
  const users = new Map<string, string>(); // openId → name
  const meet = (openId: string, name: string) => {
    if (!users.has(openId)) users.set(openId, name);
  };
  const ADMIN = 'ou_scale_admin';
  const REVIEWER = 'ou_scale_reviewer';
  meet(ADMIN, '省厅管理员');
  meet(REVIEWER, '审核员（规模测试）');

  // --- People with roles ----------------------------------------------------------------------
  const grants: unknown[][] = [];
  let grantClock = now.getTime() - 6 * 365 * DAY;
  const grant = (openId: string, role: string, campaignId: string | null, stageId: string | null, region: string | null, unitKey: string | null = null) => {
    grantClock += 60_000;
    grants.push([stableHex(seed, `grant:${grants.length}`), openId, role, campaignId, stageId, region, unitKey, ADMIN, new Date(grantClock)]);
  };
  const BIG = 'weihai-2026';
  const reviewerCache = new Map<string, string[]>();
  /** The reviewers of a review stage for a region, as reviewersFor finds them (the first decides). */
  function reviewersOf(c: Campaign, stage: Stage, region: string | null): string[] {
    const key = stage.scope === 'region' ? `${c.id}/${stage.id}/${region}` : `${c.id}/${stage.id}`;
    let ids = reviewerCache.get(key);
    if (!ids) {
      const a = person(`rv:${key}:1`);
      const b = c.id === BIG && stage.id === 'district' ? REVIEWER : person(`rv:${key}:2`);
      ids = [a, b, person(`rv:${key}:3`)];
      for (const id of ids) {
        meet(id, nameOf(new Rng(subSeed(seed, id))));
        if (id !== REVIEWER) grant(id, 'reviewer', c.id, stage.id, stage.scope === 'region' ? region : null);
      }
      reviewerCache.set(key, ids);
    }
    return ids;
  }
  grant(REVIEWER, 'reviewer', BIG, 'district', null);
  const expertPools = new Map<string, string[]>();
  function expertsOf(c: Campaign, k: number): string[] {
    const fam = campaignFamily(c.id);
    let pool = expertPools.get(c.id);
    if (!pool) {
      pool = Array.from({ length: Math.max(8, k + 3) }, (_, i) => person(`ex:${fam}:${i}`));
      for (const [i, id] of pool.entries()) {
        meet(id, nameOf(new Rng(subSeed(seed, id))));
        grant(id, 'expert', c.id, null, null, creditCodeFor(10_000_000 + i, new Rng(subSeed(seed, id, 'unit'))));
      }
      expertPools.set(c.id, pool);
    }
    return pool.slice(0, k);
  }
  // Region administrators for every programme.
  for (const c of campaigns)
    for (const region of c.regions.items.slice(0, 3)) {
      const id = person(`admin:${c.id}:${region}`);
      meet(id, nameOf(new Rng(subSeed(seed, id))));
      grant(id, 'admin', c.id, null, region);
    }

  // --- How many applications each programme gets ------------------------------------------------
  const appProgrammes = campaigns.filter((c) => c.kind === 'application');
  const evalProgrammes = campaigns.filter((c) => c.kind === 'evaluation');
  const isNew = (c: Campaign) => c.year >= 2026;
  const share = new Map<string, number>();
  const evalTotal = Math.round(N * 0.08);
  const big = Math.round(N * 0.2);
  share.set(BIG, big);
  const exportCount = Math.max(Math.round(N * 0.08), Math.ceil(targets.exportSubmitted / 0.88));
  share.set('weihai-2024', exportCount);
  const rest = appProgrammes.filter((c) => !share.has(c.id));
  const restTotal = Math.max(0, N - evalTotal - big - exportCount);
  for (const [i, c] of rest.entries()) share.set(c.id, Math.floor(restTotal / rest.length) + (i < restTotal % rest.length ? 1 : 0));

  const RANKING = 'lucheng-2026';
  const rankingStage = byId(RANKING).pipeline.find((s) => s.kind === 'scoring')!.id;

  // Pending tasks: ou_scale_reviewer's (three tasks each: his and two region reviewers'), then the
  // rest spread over the other programmes in flight (three reviewers per review stage).
  const otherPendingApps = Math.max(0, Math.round((targets.pendingTotal - 3 * targets.reviewerPending) / 3.2));
  const inFlightProgrammes = campaigns.filter((c) => isNew(c) && c.id !== BIG && c.pipeline.some((s) => s.kind === 'review' || s.kind === 'scoring'));

  const plan: PlanItem[] = [];
  let unitIndex = 0;
  const identity = (c: Campaign, r: Rng): Identity => {
    const leader = nameOf(r);
    const occupation = r.pick(OCCUPATIONS);
    const region = c.regions.items.length ? r.pick(c.regions.items) : null;
    return {
      unitName: `${(region ?? '').replace(/[区市县街道镇]$/, '')}${r.pick(UNIT_WORDS)}${r.pick(UNIT_WORDS)}${r.pick(UNIT_KINDS)}`,
      leader,
      occupation,
      studioName: `${leader}${occupation}技能大师工作室`,
      creditCode: creditCodeFor(unitIndex++, r),
      region,
    };
  };
  const stageIdx = (c: Campaign, kind: Stage['kind'] | Stage['kind'][], from = 0) => {
    const kinds = Array.isArray(kind) ? kind : [kind];
    const i = c.pipeline.findIndex((s, j) => j >= from && kinds.includes(s.kind));
    return i;
  };

  /** Positions for a programme's n applications, in a deterministic order. */
  function positionsFor(c: Campaign, n: number): { position: Position; stageIdx: number }[] {
    const out: { position: Position; stageIdx: number }[] = [];
    const push = (position: Position, idx: number, count: number) => {
      for (let i = 0; i < count && out.length < n; i++) out.push({ position, stageIdx: idx });
    };
    const reviews = c.pipeline.map((s, i) => ({ s, i })).filter((x) => x.s.kind === 'review');
    const scoring = stageIdx(c, 'scoring');
    const recommend = stageIdx(c, 'recommend');
    const publicity = stageIdx(c, 'publicity');
    const publish = stageIdx(c, 'publish');
    const pct = (p: number) => Math.round(n * p);
    if (c.kind === 'evaluation') {
      if (!isNew(c)) {
        push('absent', publish, pct(0.1));
        if (reviews[0]) push('returned', reviews[0].i, pct(0.02));
        push('evaluated', publish, n);
      } else {
        push('draft', 0, pct(0.3));
        if (reviews[0]) push('returned', reviews[0].i, pct(0.08));
        if (reviews[0]) push('review_pending', reviews[0].i, Math.round(otherPendingApps / inFlightProgrammes.length / 2));
        if (scoring >= 0) push('scoring_partial', scoring, Math.round(otherPendingApps / inFlightProgrammes.length / 4));
        if (scoring >= 0) push('scored_waiting', scoring, pct(0.2));
        else if (reviews[1]) push('review_pending', reviews[1].i, Math.round(otherPendingApps / inFlightProgrammes.length / 4));
        push('publish_waiting', publish, pct(0.1));
        push('draft', 0, n);
      }
      return out;
    }
    if (!isNew(c)) {
      // Finished: abandoned drafts, withdrawn, not passed at every stage, designated.
      push('draft', 0, pct(0.08));
      push('withdrawn', reviews[0]?.i ?? 0, pct(0.02));
      push('returned', reviews[0]?.i ?? 0, pct(0.03));
      for (const rv of reviews) push('rejected', rv.i, pct(0.18 / reviews.length));
      if (recommend >= 0) push('not_recommended', recommend, pct(0.2));
      push('designated', publish, pct(0.12));
      if (scoring >= 0) push('not_selected', scoring, n);
      else push('rejected', reviews.at(-1)?.i ?? 0, n);
      return out;
    }
    if (c.id === BIG) {
      push('review_pending', stageIdx(c, 'review'), targets.reviewerPending);
      push('publicity', publicity, Math.max(1, scaled(12)));
      push('draft', 0, pct(0.35));
      push('withdrawn', 0, pct(0.01));
      push('returned', 0, pct(0.08));
      push('rejected', 0, pct(0.1));
      push('not_selected', scoring, pct(0.05));
      push('scoring_partial', scoring, Math.round(otherPendingApps / 10));
      push('scored_waiting', scoring, n);
      return out;
    }
    const budget = Math.round(otherPendingApps / inFlightProgrammes.length);
    if (c.id === RANKING) {
      push('scored_waiting', scoring, targets.ranking);
      push('review_pending', reviews[0]!.i, budget);
    } else {
      if (reviews[0]) push('review_pending', reviews[0].i, Math.round(budget * 0.6));
      if (scoring >= 0) push('scoring_partial', scoring, Math.round((budget * 0.4) / 2));
      if (scoring >= 0) push('scored_waiting', scoring, pct(0.1));
      if (recommend >= 0) push('recommend_waiting', recommend, pct(0.15));
    }
    push('draft', 0, pct(0.4));
    push('withdrawn', reviews[0]?.i ?? 0, pct(0.01));
    if (reviews[0]) push('returned', reviews[0].i, pct(0.08));
    if (reviews[0]) push('rejected', reviews[0].i, pct(0.07));
    if (recommend >= 0) push('not_recommended', recommend, pct(0.05));
    push('draft', 0, n);
    return out;
  }

  const timeBase = (c: Campaign): number => {
    if (isNew(c)) return Math.min(now.getTime() - 40 * DAY, Date.parse(`${c.schedule?.opensAt ?? '2026-11-01'}T09:00:00+08:00`));
    return Date.parse(`${c.year}-04-01T09:00:00+08:00`);
  };

  let index = 0;
  for (const c of appProgrammes) {
    const n = share.get(c.id) ?? 0;
    const positions = positionsFor(c, n);
    const r = new Rng(subSeed(seed, 'apps', c.id));
    const base = timeBase(c);
    const span = isNew(c) ? Math.max(1, now.getTime() - 20 * DAY - base) : 45 * DAY;
    const items: PlanItem[] = positions.map((p) => {
      const i = index++;
      return {
        index: i,
        c,
        ...p,
        applicantId: person(`applicant:${i}`),
        who: identity(c, r),
        createdAt: new Date(base + r.int(span)),
        id: uuidOf(seed, `application:${i}`),
      };
    });
    plan.push(...items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()));
  }

  // --- Studios --------------------------------------------------------------------------------
  const studios: StudioRow[] = [];
  const studioRng = new Rng(subSeed(seed, 'studios'));
  for (const p of plan.filter((x) => x.position === 'designated')) {
    studios.push({
      id: uuidOf(seed, `studio:${p.id}`),
      campaignId: p.c.id,
      applicationId: p.id,
      name: p.who.studioName,
      unitName: p.who.unitName,
      year: p.c.year,
      designatedAt: new Date(p.createdAt.getTime() + 150 * DAY),
      programme: campaignFamily(p.c.id),
      region: p.who.region,
      leaderName: p.who.leader,
      occupation: p.who.occupation,
      contactId: p.applicantId,
      contactName: null,
      contactPhone: null,
      claimCode: null,
      status: studioRng.chance(0.9) ? 'active' : studioRng.pick(['rectifying', 'revoked', 'cancelled']),
      source: 'designated',
    });
  }
  const families = [...new Set(campaigns.map((c) => campaignFamily(c.id)))];
  const familyWeight = (f: string) => (f === 'weihai' ? 4 : f === 'gongshu' || f === 'zhenjiang' ? 2 : 1);
  const weighted = families.flatMap((f) => Array<string>(familyWeight(f)).fill(f));
  const claimCodes = new Set<string>();
  const importedCount = Math.max(0, Math.round(N / 10) - studios.length);
  for (let i = 0; i < importedCount; i++) {
    const fam = studioRng.pick(weighted);
    const c = campaigns.find((x) => campaignFamily(x.id) === fam && x.kind === 'application')!;
    const who = identity(c, studioRng);
    const found = studioRng.chance(0.7);
    let claimCode: string | null = null;
    if (!found) {
      do claimCode = Array.from({ length: 8 }, () => CREDIT_ALPHABET[studioRng.int(31)]).join('');
      while (claimCodes.has(claimCode));
      claimCodes.add(claimCode);
    }
    const contactId = found ? person(`contact:${i}`) : null;
    const contactName = nameOf(studioRng);
    if (contactId) meet(contactId, contactName);
    const year = studioRng.between(2008, 2019);
    studios.push({
      id: uuidOf(seed, `imported:${i}`),
      campaignId: `${fam}-imported`,
      applicationId: null,
      name: who.studioName,
      unitName: who.unitName,
      year,
      designatedAt: new Date(Date.parse(`${year}-10-01T00:00:00Z`)),
      programme: fam,
      region: who.region,
      leaderName: who.leader,
      occupation: who.occupation,
      contactId,
      contactName,
      contactPhone: mobileOf(studioRng),
      claimCode,
      status: studioRng.chance(0.85) ? 'active' : studioRng.pick(['rectifying', 'revoked', 'cancelled']),
      source: 'imported',
    });
  }

  // --- Evaluation applications: a share of each family's studios with a contact ----------------
  const evalWeight = (c: Campaign) => (c.id === 'weihai-2026-evaluation' ? 3 : isNew(c) ? 2 : 1);
  const evalWeights = evalProgrammes.reduce((s, c) => s + evalWeight(c), 0);
  for (const c of evalProgrammes) {
    const fam = campaignFamily(c.id);
    const eligible = studios.filter(
      (s) => s.programme === fam && s.contactId && s.designatedAt.getTime() < timeBase(c) && (s.status === 'active' || s.status === 'rectifying'),
    );
    const n = Math.min(eligible.length, Math.round((evalTotal * evalWeight(c)) / evalWeights));
    const positions = positionsFor(c, n);
    const r = new Rng(subSeed(seed, 'eval', c.id));
    const base = timeBase(c);
    const span = isNew(c) ? Math.max(1, now.getTime() - 20 * DAY - base) : 45 * DAY;
    const items: PlanItem[] = positions.map((p, k) => {
      const s = eligible[k]!;
      const i = index++;
      return {
        index: i,
        c,
        ...p,
        applicantId: s.contactId!,
        studioId: s.id,
        who: {
          unitName: s.unitName,
          leader: s.leaderName,
          occupation: s.occupation,
          studioName: s.name,
          creditCode: creditCodeFor(unitIndex++, r),
          region: c.regions.items.includes(s.region ?? '') ? s.region : (c.regions.items[0] ?? null),
        },
        createdAt: new Date(base + r.int(span)),
        id: uuidOf(seed, `application:${i}`),
      };
    });
    plan.push(...items.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()));
  }

  // Numbers, in order of creation within each programme.
  const counters = new Map<string, number>();
  for (const p of plan) {
    if (p.position === 'draft' || p.position === 'absent') continue;
    const n = (counters.get(p.c.id) ?? 0) + 1;
    counters.set(p.c.id, n);
    p.number = `${p.c.code}${p.c.year}-${String(n).padStart(4, '0')}`;
  }
  for (const p of plan) meet(p.applicantId, nameOf(new Rng(subSeed(seed, 'name', p.applicantId))));

  // --- One application's life -----------------------------------------------------------------
  const baseAnswers = new Map<string, Record<string, unknown>>();
  const answersOf = (c: Campaign) => {
    let a = baseAnswers.get(c.id);
    if (!a) baseAnswers.set(c.id, (a = storedAnswers(c, today)));
    return a;
  };

  function answers(p: PlanItem): string {
    const r = new Rng(subSeed(seed, 'answers', p.index));
    const c = p.c;
    const out = structuredClone(answersOf(c));
    const textareas: { holder: Record<string, unknown>; id: string; max: number }[] = [];
    const fill = (f: ScalarField, holder: Record<string, unknown>) => {
      if (holder[f.id] === undefined) return;
      switch (f.type) {
        case 'creditCode':
          holder[f.id] = p.who.creditCode;
          return;
        case 'idNumber':
          holder[f.id] = idNumberOf(r);
          return;
        case 'mobile':
        case 'phone':
          holder[f.id] = mobileOf(r);
          return;
        case 'studioName':
          holder[f.id] = p.who.studioName;
          return;
        case 'textarea':
          textareas.push({ holder, id: f.id, max: f.maxLength ?? 2000 });
          return;
        case 'choice':
          if (c.regionField === f.id && p.who.region) holder[f.id] = p.who.region;
          return;
        case 'text':
          if (f.id === 'unitName') holder[f.id] = p.who.unitName;
          else if (f.id === 'studioName' || f.id === 'appliedStudioName') holder[f.id] = p.who.studioName;
          else if (/^(leader|master)Name$/.test(f.id)) holder[f.id] = p.who.leader;
          else if (/name$/i.test(f.id) || /姓名|联系人|负责人/.test(f.label)) holder[f.id] = nameOf(r);
          else if (/occupation/i.test(f.id)) holder[f.id] = p.who.occupation;
          return;
        default:
          return;
      }
    };
    for (const f of allFields(c)) {
      if (f.type === 'group') {
        const rows = Array.isArray(out[f.id]) ? (out[f.id] as Record<string, unknown>[]) : [];
        const extra = r.int(3);
        for (let k = 0; k < extra && rows.length > 0 && (f.maxRows === undefined || rows.length < f.maxRows); k++) rows.push(structuredClone(rows[0]!));
        for (const row of rows) for (const g of f.fields) fill(g, row);
        out[f.id] = rows;
      } else fill(f, out);
    }
    // Free text up to a realistic size: 2–8 KB of JSON (UTF-8) per application.
    const target = r.between(2000, 8000);
    const size = Buffer.byteLength(JSON.stringify(out));
    const perField = textareas.length ? Math.max(20, Math.floor((target - size) / 3 / textareas.length)) : 0;
    for (const t of textareas) t.holder[t.id] = prose(r, Math.min(t.max, perField + r.int(40)));
    return JSON.stringify(out);
  }

  interface Life {
    app: {
      status: string;
      stage: string | null;
      unitKey: string | null;
      region: string | null;
      version: number;
      lastStep: string | null;
      submittedAt: Date | null;
      score: number | null;
      rank: number | null;
      grade: string | null;
      stageRound: number | null;
      updatedAt: Date;
    };
    tasks: unknown[][];
    audits: unknown[][];
    uploads: unknown[][];
  }

  function live(p: PlanItem, d: Sink): Life {
    const r = new Rng(subSeed(seed, 'life', p.index));
    const c = p.c;
    let t = p.createdAt.getTime();
    const cap = isNew(c) ? now.getTime() - 3600_000 : Number.POSITIVE_INFINITY;
    const step = (min: number, max: number) => {
      t = Math.min(cap, t + min * 3600_000 + r.int((max - min) * 3600_000));
      return new Date(t);
    };
    const tasks: unknown[][] = [];
    const audits: unknown[][] = [];
    const uploads: unknown[][] = [];
    let ids = 0;
    const uid = () => uuidOf(seed, `life:${p.index}:${ids++}`);
    const audit = (actor: string, action: string, detail: string | null, at: Date) => audits.push([actor, action, p.id, detail, d.date(at)]);
    const task = (
      stage: Stage,
      round: number,
      reviewer: string,
      status: string,
      decision: string | null,
      extra: { reason?: string; comment?: string; scores?: string; total?: number; at?: Date; created: Date; snapshot?: string },
    ) =>
      tasks.push([
        uid(),
        p.id,
        stage.id,
        round,
        reviewer,
        status,
        decision,
        extra.reason ?? null,
        extra.comment ?? null,
        extra.at ? d.date(extra.at) : null,
        extra.snapshot ?? null,
        extra.scores ?? null,
        extra.total ?? null,
        d.date(extra.created),
      ]);
    const app: Life['app'] = {
      status: 'draft',
      stage: null,
      unitKey: null,
      region: c.kind === 'evaluation' ? p.who.region : null,
      version: r.between(3, 20),
      lastStep: r.pick(c.form.sections).id,
      submittedAt: null,
      score: null,
      rank: null,
      grade: null,
      stageRound: null,
      updatedAt: p.createdAt,
    };
    audit(p.applicantId, 'application.started', c.id, p.createdAt);
    const done = () => ({ app: { ...app, updatedAt: new Date(t) }, tasks, audits, uploads });
    if (p.position === 'draft') {
      step(0, 24 * 10);
      return done();
    }
    if (p.position === 'absent') {
      // Never submitted: graded 不合格 once the round was published.
      Object.assign(app, { status: 'absent', grade: '不合格', stage: null });
      step(24 * 30, 24 * 60);
      return done();
    }
    // Submitted.
    const submittedAt = step(24, 24 * 20);
    const slots = c.form.attachments;
    for (let k = 0; k < Math.min(slots.length, r.between(2, 4)); k++) {
      const slot = slots[(k * 7 + p.index) % slots.length]!;
      const pdf = slot.accept.includes('pdf');
      uploads.push([
        uid(),
        p.id,
        p.applicantId,
        `om_${stableHex(seed, `upload:${p.index}:${k}`)}`,
        r.hex(64),
        `${slot.label.slice(0, 20)}${k ? `-${k}` : ''}.${pdf ? 'pdf' : 'png'}`,
        r.between(40_000, 6_000_000),
        pdf ? 'pdf' : 'png',
        slot.id,
        d.date(new Date(submittedAt.getTime() - r.int(5 * DAY))),
      ]);
    }
    Object.assign(app, {
      status: 'submitted',
      unitKey: c.unitKeyField ? p.who.creditCode : null,
      region: c.regions.items.length ? p.who.region : null,
      submittedAt,
      lastStep: 'declarations',
    });
    audit(p.applicantId, 'application.submitted', p.number!, submittedAt);
    const snapshot = () => (r.chance(0.5) ? JSON.stringify({ note: prose(r, 60) }) : null);
    const last = p.stageIdx < 0 ? c.pipeline.length : p.stageIdx;
    for (let i = 0; i < c.pipeline.length; i++) {
      const stage = c.pipeline[i]!;
      const here = i === last;
      if (i > last) break;
      if (p.position === 'designated' && stage.kind === 'publish' && here) {
        Object.assign(app, { status: 'designated', stage: null });
        step(24 * 5, 24 * 20);
        break;
      }
      if (p.position === 'evaluated' && here) {
        const grades = c.evaluation?.grades.map((g) => g.grade) ?? ['合格'];
        Object.assign(app, {
          status: p.position,
          stage: null,
          grade: app.grade ?? (r.chance(0.25) ? grades[0]! : grades[Math.min(1, grades.length - 1)]!),
        });
        step(24 * 5, 24 * 20);
        break;
      }
      app.stage = stage.id;
      if (stage.kind === 'publicity') {
        if (here) break;
        step(24 * 7, 24 * 12);
        continue;
      }
      if (stage.kind === 'publish') break; // publish_waiting
      let round = 1;
      const entered = step(1, 48);
      audit('system', 'application.stage_entered', `${stage.id}#${round}`, entered);
      app.stageRound = round;
      if (stage.kind === 'recommend') {
        if (here) {
          if (p.position === 'not_recommended') {
            app.status = 'not_recommended';
            step(24, 24 * 10);
          }
          break;
        }
        app.rank = r.between(1, 3);
        step(24 * 3, 24 * 15);
        continue;
      }
      if (stage.kind === 'scoring') {
        const scoring = stage.scoring!;
        const rubric = c.rubrics.find((x) => x.id === scoring.rubric)!;
        const experts = expertsOf(c, scoring.experts);
        const decidedCount = here && p.position === 'scoring_partial' ? r.int(experts.length) : experts.length;
        const totals: number[] = [];
        for (const [k, e] of experts.entries()) {
          if (k >= decidedCount) {
            task(stage, round, e, 'pending', null, { created: entered });
            continue;
          }
          const scores: Record<string, number> = {};
          const quality = 0.5 + r.next() * 0.45;
          for (const item of rubric.items) scores[item.id] = Math.round(item.max * Math.min(1, quality + (r.next() - 0.5) * 0.15));
          const total = Object.values(scores).reduce((a, b) => a + b, 0);
          totals.push(total);
          const at = step(2, 24 * 4);
          task(stage, round, e, 'decided', 'scored', {
            scores: JSON.stringify(scores),
            total,
            at,
            created: entered,
            ...(r.chance(0.3) ? { comment: prose(r, 40) } : {}),
          });
          audit(e, 'review.scored', JSON.stringify({ stage: stage.id, scores, vetoes: [], total }), at);
        }
        if (decidedCount === experts.length) {
          app.score = aggregateScores(totals, scoring.aggregation, scoring.trimFrom);
          if (c.kind === 'evaluation' && c.evaluation?.grading === 'points')
            app.grade = [...c.evaluation.grades].sort((a, b) => (b.min ?? 0) - (a.min ?? 0)).find((g) => app.score! >= (g.min ?? 0))?.grade ?? null;
        }
        if (here) {
          if (p.position === 'not_selected') {
            app.status = 'not_selected';
            step(24 * 2, 24 * 10);
          }
          break;
        }
        step(24 * 2, 24 * 10);
        continue;
      }
      // A review stage: the first reviewer decides, the others' tasks are superseded.
      const reviewers = reviewersOf(c, stage, app.region);
      const decide = (decision: string, reason?: string) => {
        const at = step(2, 24 * 6);
        task(stage, round, reviewers[0]!, 'decided', decision, {
          at,
          created: entered,
          ...(reason ? { reason } : {}),
          ...(r.chance(0.3) ? { comment: prose(r, 30) } : {}),
          ...(decision === 'return' ? { snapshot: snapshot() ?? '{}' } : {}),
        });
        for (const o of reviewers.slice(1)) task(stage, round, o, 'superseded', null, { created: entered });
        audit(reviewers[0]!, `review.${decision}`, JSON.stringify({ stage: stage.id, round, reason: reason ?? '', comment: '' }), at);
        if (r.chance(0.2)) audit(reviewers[0]!, 'personal_data.revealed', `task:${p.id}`, at);
        return at;
      };
      // Some came back once before passing (or before their current state).
      const decisions = (stage.decisions ?? []) as string[];
      if (decisions.includes('return') && r.chance(here ? 0.1 : 0.2)) {
        decide('return', r.pick(REASONS));
        const back = step(24, 24 * 7);
        audit(p.applicantId, 'application.resubmitted', p.number!, back);
        round = 2;
        app.stageRound = round;
        audit('system', 'application.stage_entered', `${stage.id}#${round}`, back);
      }
      if (here) {
        if (p.position === 'review_pending') {
          for (const rv of reviewers) task(stage, round, rv, 'pending', null, { created: new Date(t) });
          if (r.chance(0.3)) audit(ADMIN, 'review.reminded', String(reviewers.length), step(24, 48));
        } else if (p.position === 'returned') {
          decide('return', r.pick(REASONS));
          app.status = 'returned';
        } else if (p.position === 'rejected' && decisions.includes('reject')) {
          decide('reject', r.pick(REJECTS));
          Object.assign(app, { status: 'rejected', unitKey: null });
        } else if (p.position === 'withdrawn') {
          for (const rv of reviewers) task(stage, round, rv, 'superseded', null, { created: new Date(t) });
          audit(ADMIN, 'application.withdrawn', null, step(24, 24 * 5));
          Object.assign(app, { status: 'withdrawn', unitKey: null });
        } else {
          // An end the stage cannot give (a reject where only approve/return are offered): not selected later.
          decide('return', r.pick(REASONS));
          app.status = 'returned';
        }
        break;
      }
      const at = decide('approve');
      // Zhenjiang's experts grade directly at a review stage.
      if (c.kind === 'evaluation' && c.evaluation?.grading === 'direct' && stage.role === 'expert')
        app.grade = r.chance(0.3) ? '优秀' : r.chance(0.9) ? '合格' : '不合格';
      t = at.getTime();
    }
    if (p.position === 'withdrawn' && app.status !== 'withdrawn') Object.assign(app, { status: 'withdrawn', unitKey: null });
    return done();
  }

  // --- Write -----------------------------------------------------------------------------------
  const sink = opts.dialect === 'sqlite' ? sqliteSink(opts.url) : await postgresSink(opts.url);
  const counts: Record<string, number> = {};
  const timings: ScaleManifest['timings'] = {};
  async function fill(table: string, columns: string[], produce: (add: (row: unknown[]) => Promise<void> | void) => Promise<void> | void) {
    const t0 = performance.now();
    const w = sink.table(table, columns);
    let n = 0;
    await produce((row) => {
      n++;
      return w.add(row);
    });
    await w.end();
    const seconds = (performance.now() - t0) / 1000;
    counts[table] = (counts[table] ?? 0) + n;
    timings[table] = { seconds: Math.round(seconds * 100) / 100, rowsPerSecond: Math.round(n / Math.max(seconds, 0.001)) };
    log(`${table}: ${n} rows in ${seconds.toFixed(1)} s (${timings[table]!.rowsPerSecond}/s)`);
  }
  const D = (x: Date | null) => (x ? sink.date(x) : null);

  let timeline = { id: '', rows: 0 };
  let applicant = { openId: '', appId: '' };
  const lives = new Map<number, Pick<Life['app'], 'status' | 'stage' | 'rank' | 'updatedAt'>>();
  await fill(
    'Application',
    [
      'id',
      'campaignId',
      'applicantId',
      'status',
      'stage',
      'number',
      'unitKey',
      'region',
      'answers',
      'declarations',
      'version',
      'lastStep',
      'submittedAt',
      'score',
      'rank',
      'studioId',
      'grade',
      'stageRound',
      'createdAt',
      'updatedAt',
    ],
    async (add) => {
      for (const p of plan) {
        const l = live(p, sink);
        const a = l.app;
        lives.set(p.index, { status: a.status, stage: a.stage, rank: a.rank, updatedAt: a.updatedAt });
        if (l.audits.length > timeline.rows) timeline = { id: p.id, rows: l.audits.length };
        if (!applicant.openId && p.c.id === BIG && a.status === 'submitted') applicant = { openId: p.applicantId, appId: p.id };
        const declarations = a.status === 'draft' ? '{}' : JSON.stringify(Object.fromEntries(p.c.form.declarations.map((x) => [x.id, true])));
        const pending = add([
          p.id,
          p.c.id,
          p.applicantId,
          a.status,
          a.stage,
          p.number ?? null,
          a.unitKey,
          a.region,
          answers(p),
          declarations,
          a.version,
          a.lastStep,
          D(a.submittedAt),
          a.score,
          a.rank,
          p.studioId ?? null,
          a.grade,
          a.stageRound,
          D(p.createdAt),
          D(a.updatedAt),
        ]);
        if (pending) await pending;
      }
    },
  );
  const eachLife = async (pick: (l: Life) => unknown[][], add: (row: unknown[]) => Promise<void> | void) => {
    for (const p of plan) {
      for (const row of pick(live(p, sink))) {
        const pending = add(row);
        if (pending) await pending;
      }
    }
  };
  await fill('Upload', ['id', 'applicationId', 'ownerId', 'messageId', 'sha256', 'name', 'size', 'kind', 'slotId', 'createdAt'], (add) =>
    eachLife((l) => l.uploads, add),
  );
  await fill(
    'ReviewTask',
    [
      'id',
      'applicationId',
      'stageId',
      'round',
      'reviewerId',
      'status',
      'decision',
      'reason',
      'comment',
      'decidedAt',
      'snapshot',
      'scores',
      'total',
      'createdAt',
    ],
    (add) => eachLife((l) => l.tasks, add),
  );
  await fill('AuditLog', ['actor', 'action', 'subject', 'detail', 'createdAt'], (add) => eachLife((l) => l.audits, add));

  // Studios, their events.
  const studioCols = [
    'id',
    'campaignId',
    'applicationId',
    'name',
    'unitName',
    'year',
    'designatedAt',
    'programme',
    'region',
    'leaderName',
    'occupation',
    'contactId',
    'contactName',
    'contactPhone',
    'claimCode',
    'status',
    'source',
  ];
  await fill('Studio', studioCols, async (add) => {
    for (const s of studios) {
      const pending = add([
        s.id,
        s.campaignId,
        s.applicationId,
        s.name,
        s.unitName,
        s.year,
        D(s.designatedAt),
        s.programme,
        s.region,
        s.leaderName,
        s.occupation,
        s.contactId,
        s.contactName,
        s.contactPhone,
        s.claimCode,
        s.status,
        s.source,
      ]);
      if (pending) await pending;
    }
  });
  const evalOf = new Map(plan.filter((p) => p.studioId && (p.position === 'evaluated' || p.position === 'absent')).map((p) => [p.studioId!, p]));
  await fill('StudioEvent', ['id', 'studioId', 'kind', 'effectiveOn', 'until', 'detail', 'applicationId', 'createdBy', 'createdAt'], async (add) => {
    const r = new Rng(subSeed(seed, 'events'));
    for (const s of studios) {
      const evaluated = evalOf.get(s.id);
      const events: [string, string, string | null, string, string | null][] = [];
      const year = s.year + 1 + r.int(3);
      events.push(['grade', `${year}-03-15`, null, `${year}年度评估：${r.pick(['优秀', '合格', '合格'])}`, null]);
      if (evaluated)
        events.push([
          'grade',
          `${evaluated.c.year + 1}-02-20`,
          null,
          `${evaluated.c.title}：${lives.get(evaluated.index)?.status === 'absent' ? '不合格（未参加）' : '合格'}`,
          evaluated.id,
        ]);
      const extra = r.pick(['reward', 'rectification', 'extension', 'leader_change', 'reward']);
      if (s.status === 'rectifying') events.push(['rectification', `${year + 1}-04-01`, `${year + 2}-03-31`, '给予一年整改时间', null]);
      else if (s.status === 'revoked') events.push(['revocation', `${year + 1}-05-01`, null, '整改期满仍不合格，撤销称号', null]);
      else if (s.status === 'cancelled') events.push(['cancellation', `${year + 1}-06-01`, null, '单位申请取消', null]);
      else
        events.push([
          extra,
          `${year + 1}-04-01`,
          extra === 'rectification' ? `${year + 2}-03-31` : null,
          extra === 'reward' ? '给予其领办人2万元奖励资金' : `${extra}：${prose(r, 20)}`,
          null,
        ]);
      for (const e of events) {
        const pending = add([r.uuid(), s.id, e[0], e[1], e[2], e[3], e[4], ADMIN, D(new Date(Date.parse(`${e[1]}T02:00:00Z`)))]);
        if (pending) await pending;
      }
    }
  });

  // Public notices: published ones for finished programmes, one open notice ending today.
  const notices: unknown[][] = [];
  const objections: unknown[][] = [];
  const nr = new Rng(subSeed(seed, 'notices'));
  let openNotice = { id: '', campaignId: '' };
  for (const c of campaigns) {
    const publicity = c.pipeline.find((s) => s.kind === 'publicity');
    if (!publicity) continue;
    const done = plan.filter((p) => p.c.id === c.id && (p.position === 'designated' || p.position === 'evaluated'));
    const open = plan.filter((p) => p.c.id === c.id && p.position === 'publicity');
    const parts = Math.min(3, done.length);
    for (let k = 0; k < parts; k++) {
      const ids = done.filter((_, i) => i % parts === k).map((p) => p.id);
      const start = new Date(timeBase(c) + (120 + k * 20) * DAY);
      const id = nr.uuid();
      notices.push([
        id,
        c.id,
        publicity.id,
        beijingDay(start),
        beijingDay(new Date(start.getTime() + 7 * DAY)),
        'published',
        JSON.stringify(ids),
        ADMIN,
        D(start),
        D(new Date(start.getTime() + 9 * DAY)),
      ]);
      for (let o = 0; o < nr.int(3); o++)
        objections.push([
          nr.uuid(),
          id,
          person(`objector:${nr.int(1000)}`),
          `对${done[o]?.who.studioName ?? '名单'}有异议：${prose(nr, 40)}`,
          'resolved',
          '经核实，反映问题不属实',
          ADMIN,
          D(new Date(start.getTime() + 2 * DAY)),
          D(new Date(start.getTime() + 4 * DAY)),
        ]);
    }
    if (open.length) {
      const id = nr.uuid();
      openNotice = { id, campaignId: c.id };
      const start = new Date(now.getTime() - 7 * DAY);
      notices.push([id, c.id, publicity.id, beijingDay(start), today, 'open', JSON.stringify(open.map((p) => p.id)), ADMIN, D(start), null]);
      for (let o = 0; o < 3; o++)
        objections.push([
          nr.uuid(),
          id,
          person(`objector:open:${o}`),
          `${open[o % open.length]!.who.studioName}的领办人工作年限不符：${prose(nr, 40)}`,
          o === 0 ? 'resolved' : 'open',
          o === 0 ? '经核实，符合条件' : null,
          o === 0 ? ADMIN : null,
          D(new Date(start.getTime() + DAY)),
          o === 0 ? D(new Date(start.getTime() + 2 * DAY)) : null,
        ]);
    }
  }
  await fill(
    'PublicNotice',
    ['id', 'campaignId', 'stageId', 'startDate', 'endDate', 'status', 'applicationIds', 'createdBy', 'createdAt', 'publishedAt'],
    async (add) => {
      for (const row of notices) await add(row);
    },
  );
  await fill('Objection', ['id', 'noticeId', 'openId', 'reason', 'status', 'resolution', 'resolvedBy', 'createdAt', 'resolvedAt'], async (add) => {
    for (const row of objections) {
      meet(row[2] as string, nameOf(nr));
      await add(row);
    }
  });

  // Mirrors of the 2026 programmes' submitted applications, synced.
  const mirrorCampaigns = campaigns.filter(isNew);
  await fill(
    'Mirror',
    ['id', 'target', 'applicationId', 'campaignId', 'changeSeq', 'syncedSeq', 'changedAt', 'removed', 'remoteId', 'sentVersion', 'syncedAt'],
    async (add) => {
      const r = new Rng(subSeed(seed, 'mirrors'));
      for (const p of plan) {
        if (!isNew(p.c) || p.position === 'draft') continue;
        const l = lives.get(p.index)!;
        for (const target of ['approval', 'ledger']) {
          const seq = r.between(1, 8);
          const at = l.updatedAt;
          await add([
            `${target}:${p.id}`,
            target,
            p.id,
            p.c.id,
            seq,
            seq,
            D(at),
            sink.bool(false),
            target === 'ledger' ? `rec${r.hex(12)}` : null,
            target === 'approval' ? String(at.getTime()) : l.rank !== null ? String(l.rank) : null,
            D(new Date(at.getTime() + 2000)),
          ]);
        }
      }
    },
  );
  // SQLite's Mirror insert trigger queued a sync per row: they are synced, so nothing waits.
  if (sink.dialect === 'sqlite') await sink.exec(`DELETE FROM "OutboxMessage" WHERE "kind" = 'mirror'`);
  await fill('MirrorSpace', ['id', 'remoteId', 'updatedAt'], async (add) => {
    for (const c of mirrorCampaigns) {
      await add([`approval:${c.id}`, `APPROVAL_${stableHex(seed, c.id, 16).toUpperCase()}`, D(now)]);
      await add([`ledger:${c.id}`, `tbl${stableHex(seed, `ledger:${c.id}`, 13)}`, D(now)]);
    }
  });

  await fill('Counter', ['key', 'value'], async (add) => {
    for (const [id, n] of counters) await add([`number:${id}`, n]);
  });

  const chats: string[] = [];
  await fill('GroupChat', ['chatId', 'name', 'tags', 'active', 'addedBy', 'joinedAt', 'leftAt', 'updatedAt', 'membersSyncedAt'], async (add) => {
    const r = new Rng(subSeed(seed, 'chats'));
    const count = Math.max(5, Math.round(N / 50));
    for (let i = 0; i < count; i++) {
      const c = r.pick(appProgrammes);
      const region = r.pick(c.regions.items.length ? c.regions.items : ['全市']);
      const chatId = `oc_${r.hex(32)}`;
      chats.push(chatId);
      const active = r.chance(0.95);
      const joined = new Date(now.getTime() - r.int(5 * 365) * DAY);
      await add([
        chatId,
        `${region}${r.pick(UNIT_WORDS)}技能人才交流群${i}`,
        JSON.stringify([region, campaignFamily(c.id)]),
        sink.bool(active),
        ADMIN,
        D(joined),
        active ? null : D(new Date(joined.getTime() + 100 * DAY)),
        D(joined),
        r.chance(0.5) ? D(new Date(now.getTime() - r.int(30) * DAY)) : null,
      ]);
    }
  });

  await fill('RoleGrant', ['id', 'openId', 'role', 'campaignId', 'stageId', 'region', 'unitKey', 'grantedBy', 'createdAt'], async (add) => {
    for (const g of grants) await add([...g.slice(0, 8), D(g[8] as Date)]);
  });

  // Inbox and outbox: five years of traffic, nearly all done.
  const people = [...users.keys()];
  const fiveYears = 5 * 365 * DAY;
  const bulk = Math.max(10, N * 10);
  await fill(
    'InboxEvent',
    ['id', 'eventId', 'messageId', 'eventType', 'orderingKey', 'payload', 'status', 'attempts', 'availableAt', 'lastError', 'createdAt', 'doneAt'],
    async (add) => {
      const r = new Rng(subSeed(seed, 'inbox'));
      const start = now.getTime() - fiveYears;
      for (let i = 0; i < bulk; i++) {
        const at = new Date(start + Math.floor((i / bulk) * fiveYears) + r.int(1000));
        const who = r.pick(people);
        const eventId = r.hex(32);
        const message = r.chance(0.4);
        const messageId = message ? `om_${r.hex(32)}` : null;
        const eventType = message ? 'im.message.receive_v1' : 'card.action.trigger';
        const event = message
          ? {
              sender: { sender_id: { open_id: who, union_id: `on_${r.hex(32)}`, user_id: null }, sender_type: 'user', tenant_key: 'tenant_scale' },
              message: {
                message_id: messageId,
                chat_id: `oc_${r.hex(32)}`,
                chat_type: 'p2p',
                message_type: 'text',
                create_time: String(at.getTime()),
                content: JSON.stringify({ text: r.chance(0.5) ? r.pick(['申报', '进度', '待办', '统计', '帮助']) : prose(r, r.between(100, 500)) }),
              },
            }
          : {
              operator: { open_id: who, union_id: `on_${r.hex(32)}`, tenant_key: 'tenant_scale' },
              token: `c-${r.hex(40)}`,
              action: {
                tag: 'button',
                value: { a: r.pick(['j.next', 'j.save', 'rv.decide', 'rank.show', 'st.show', 'o.detail']), app: r.uuid(), v: r.int(20) },
                form_value: { text: prose(r, r.between(60, 400)) },
                timezone: 'Asia/Shanghai',
              },
              context: { open_message_id: `om_${r.hex(32)}`, open_chat_id: `oc_${r.hex(32)}` },
            };
        const payload = JSON.stringify({ eventId, eventType, createdAt: at.getTime(), appId: 'cli_scale', tenantKey: 'tenant_scale', event });
        const tail = bulk - i;
        const status = tail <= 100 ? 'pending' : tail <= 300 && tail % 2 === 0 ? 'dead' : 'done';
        await add([
          r.uuid(),
          eventId,
          messageId,
          eventType,
          who,
          payload,
          status,
          status === 'dead' ? 5 : status === 'done' ? 1 : 0,
          D(at),
          status === 'dead' ? 'handler failed: TypeError: Cannot read properties of undefined' : null,
          D(at),
          status === 'done' ? D(new Date(at.getTime() + 50 + r.int(400))) : null,
        ]);
      }
    },
  );
  await fill(
    'OutboxMessage',
    ['id', 'kind', 'pacingKey', 'payload', 'status', 'attempts', 'availableAt', 'lastError', 'result', 'causedBy', 'createdAt', 'doneAt'],
    async (add) => {
      const r = new Rng(subSeed(seed, 'outbox'));
      const start = now.getTime() - fiveYears;
      for (let i = 0; i < bulk; i++) {
        const at = new Date(start + Math.floor((i / bulk) * fiveYears) + r.int(1000));
        const toChat = r.chance(0.1);
        const to = toChat ? r.pick(chats) : r.pick(people);
        const card = {
          schema: '2.0',
          header: {
            title: { tag: 'plain_text', content: r.pick(['申报已提交', '审核通过', '退回修改', '评分完成', '可以开始公示', '新的审核任务']) },
            template: r.pick(['blue', 'green', 'orange', 'grey']),
          },
          body: {
            elements: [
              { tag: 'markdown', content: prose(r, r.between(80, 600)) },
              {
                tag: 'button',
                text: { tag: 'plain_text', content: '查看' },
                type: 'primary',
                value: { a: r.pick(['j.open', 'rv.open', 'rank.show', 'notice.show']), app: r.uuid() },
              },
            ],
          },
        };
        const kind = r.chance(0.75) ? 'send' : 'patch';
        const message =
          kind === 'send'
            ? { kind, receiveIdType: toChat ? 'chat_id' : 'open_id', receiveId: to, msgType: 'interactive', content: card }
            : { kind, outboxRef: r.uuid(), chatId: to, card };
        const tail = bulk - i;
        const status = tail <= 150 ? 'pending' : tail <= 400 && tail % 2 === 0 ? 'dead' : 'done';
        await add([
          r.uuid(),
          kind,
          to,
          JSON.stringify(message),
          status,
          status === 'dead' ? 8 : status === 'done' ? 1 : 0,
          D(at),
          status === 'dead' ? 'lark 230002: bot is not in the chat' : null,
          status === 'done' && kind === 'send' ? JSON.stringify({ messageId: `om_${r.hex(32)}` }) : null,
          r.chance(0.7) ? r.uuid() : null,
          D(at),
          status === 'done' ? D(new Date(at.getTime() + 200 + r.int(2000))) : null,
        ]);
      }
    },
  );

  // Everyone met, named.
  await fill('LarkUser', ['openId', 'userId', 'name', 'firstSeenAt', 'welcomedAt'], async (add) => {
    const r = new Rng(subSeed(seed, 'users'));
    for (const [openId, name] of users) {
      const seen = new Date(now.getTime() - r.int(5 * 365) * DAY);
      await add([openId, r.chance(0.5) ? r.hex(8) : null, name, D(seen), r.chance(0.8) ? D(seen) : null]);
    }
  });

  // PostgreSQL's autovacuum (on by default; off on some test hosts) would have vacuumed tables this
  // size long ago: without it the visibility map is empty and no query can read from an index alone.
  const maintenance = sink.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE';
  log(maintenance);
  const ta = performance.now();
  await sink.exec(maintenance);
  timings.ANALYZE = { seconds: Math.round((performance.now() - ta) / 10) / 100, rowsPerSecond: 0 };
  await sink.close();

  const studioProgramme =
    [...studios.reduce((m, s) => m.set(s.programme, (m.get(s.programme) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'weihai';
  return {
    dialect: opts.dialect,
    url: opts.url,
    applications: N,
    seed,
    counts,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    timings,
    targets,
    actors: {
      admin: ADMIN,
      reviewer: REVIEWER,
      reviewerCampaign: BIG,
      reviewerStage: 'district',
      bigCampaign: BIG,
      exportCampaign: 'weihai-2024',
      rankingCampaign: RANKING,
      rankingStage,
      studioProgramme,
      timelineApplicationId: timeline.id,
      applicant: applicant.openId,
      applicantApplicationId: applicant.appId,
      openNoticeId: openNotice.id,
      openNoticeCampaign: openNotice.campaignId,
      evaluationCampaign: 'weihai-2026-evaluation',
    },
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const dialect = arg('dialect');
  if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error('--dialect sqlite|postgres');
  const applications = Number(arg('applications') ?? 100_000);
  const seed = Number(arg('seed') ?? 1);
  const url = arg('url') ?? (await throwawayDatabase(dialect)).url;
  console.error(`seeding ${applications} applications into ${url}`);
  const manifest = await seedScale({ dialect, url, applications, seed, log: (s) => console.error(s) });
  console.log(JSON.stringify(manifest, null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
