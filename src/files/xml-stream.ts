// A small streaming XML reader for the parts of an Office package: text is fed in pieces and
// elements, text and CDATA come out as they complete, so a large part is never held whole.
// It checks what a reader of untrusted input must (tags nest and match, attributes are quoted,
// entities are the five predefined ones or character references) and refuses a DOCTYPE outright:
// Office parts never have one, and no DTD means no entity expansion. Element and attribute names
// come out with their namespace's conventional prefix (w:, w14:, mc:…), whatever prefix the file
// declared for it, so 'w:p' matches however a producer spelled it.

export class XmlError extends Error {}

export interface XmlHandler {
  /** `attrs` is the raw attribute text; read values with `XmlStream.attr` during this call. */
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text (entities not yet decoded, unless `cdata`); decode with `decodeXmlText`. */
  text(raw: string, cdata: boolean): void;
}

export interface XmlLimits {
  /** Element nesting. */
  maxDepth: number;
  /** One tag, comment or processing instruction. */
  maxTokenChars: number;
}

const NAME = /^[^\s<>&"'=/!?]+$/;
const ATTRS = /^(?:\s+[^\s<>&"'=/]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/;
const ATTR = /([^\s<>&"'=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  const out = raw.replace(ENTITY, (_, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref]!;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`bad character reference &${ref};`);
    return String.fromCodePoint(code);
  });
  // Any '&' left is not one of the references above: an undeclared entity, or a bare '&'.
  if (raw.replace(ENTITY, '').includes('&')) throw new XmlError('undeclared entity or bare "&"');
  return out;
}

interface Scope {
  depth: number;
  map: Map<string, string>;
}

export class XmlStream {
  private buf = '';
  private pos = 0;
  /** Where the search for the end of the token at `pos` resumes (an absolute index in `buf`). */
  private scanFrom = 0;
  private quote = 0;
  private readonly names: string[] = [];
  private scopes: Scope[];
  private nameCache = new Map<string, string>();
  private sawRoot = false;

  /**
   * @param known namespace URI → the prefix names are given with (several URIs may share one, e.g.
   *   transitional and strict WordprocessingML both → 'w'). Undeclared prefixes are kept as written.
   */
  constructor(
    private readonly handler: XmlHandler,
    private readonly known: ReadonlyMap<string, string>,
    private readonly limits: XmlLimits,
  ) {
    this.scopes = [{ depth: 0, map: new Map() }];
  }

  write(chunk: string): void {
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.scanFrom -= this.pos;
      this.pos = 0;
    }
    this.buf += chunk;
    this.parse();
  }

  end(): void {
    if (this.pos < this.buf.length && /\S/.test(this.buf.slice(this.pos))) throw new XmlError('unfinished markup at the end');
    if (this.names.length > 0) throw new XmlError(`<${this.names[this.names.length - 1]}> is not closed`);
    if (!this.sawRoot) throw new XmlError('no root element');
  }

  /** The value of attribute `name` (e.g. 'w:val') in `attrs`, entities decoded. */
  attr(attrs: string, name: string): string | undefined {
    if (!attrs) return undefined;
    for (const m of attrs.matchAll(ATTR)) {
      if (this.resolve(m[1]!, true) === name) return decodeXmlText(m[2] ?? m[3] ?? '');
    }
    return undefined;
  }

  private resolve(raw: string, attribute = false): string {
    const key = attribute ? `@${raw}` : raw;
    const cached = this.nameCache.get(key);
    if (cached !== undefined) return cached;
    const colon = raw.indexOf(':');
    let out = raw;
    if (colon > 0) {
      const prefix = raw.slice(0, colon);
      const mapped = this.scopes[this.scopes.length - 1]!.map.get(prefix);
      if (mapped !== undefined) out = `${mapped}:${raw.slice(colon + 1)}`;
    } else if (!attribute) {
      // Unprefixed attributes have no namespace; unprefixed elements take the default one.
      const mapped = this.scopes[this.scopes.length - 1]!.map.get('');
      if (mapped) out = `${mapped}:${raw}`;
    }
    this.nameCache.set(key, out);
    return out;
  }

  private tooLong(from: number): void {
    if (this.buf.length - from > this.limits.maxTokenChars) throw new XmlError('markup too long');
  }

  private parse(): void {
    const buf = this.buf;
    const len = buf.length;
    while (this.pos < len) {
      const pos = this.pos;
      if (buf.charCodeAt(pos) !== 60 /* < */) {
        const lt = buf.indexOf('<', pos);
        let end = lt < 0 ? len : lt;
        // Keep a trailing '&…' that may be an entity cut in two by the chunking.
        if (lt < 0) {
          const amp = buf.lastIndexOf('&', end - 1);
          if (amp >= pos && buf.indexOf(';', amp) < 0) end = amp;
        }
        if (end > pos) {
          const raw = buf.slice(pos, end);
          if (this.names.length > 0) this.handler.text(raw, false);
          else if (/\S/.test(raw)) throw new XmlError('text outside the root element');
        }
        this.pos = end;
        if (lt < 0) {
          this.tooLong(end);
          return;
        }
        continue;
      }
      if (pos + 1 >= len) return;
      const c1 = buf.charCodeAt(pos + 1);
      if (c1 === 47 /* / */) {
        const gt = buf.indexOf('>', Math.max(pos + 2, this.scanFrom));
        if (gt < 0) {
          this.wait(pos, len);
          return;
        }
        const name = buf.slice(pos + 2, gt).trimEnd();
        const open = this.names.pop();
        if (open !== name) throw new XmlError(open === undefined ? `</${name}> closes nothing` : `</${name}> closes <${open}>`);
        const resolved = this.resolve(name);
        if (this.scopes.length > 1 && this.scopes[this.scopes.length - 1]!.depth > this.names.length) this.popScope();
        this.handler.close(resolved);
        this.done(gt + 1);
      } else if (c1 === 63 /* ? */) {
        const end = buf.indexOf('?>', Math.max(pos + 2, this.scanFrom));
        if (end < 0) {
          this.wait(pos, len, 1);
          return;
        }
        this.done(end + 2);
      } else if (c1 === 33 /* ! */) {
        if (len - pos < 9 && ('<![CDATA['.startsWith(buf.slice(pos)) || '<!--'.startsWith(buf.slice(pos)))) return;
        if (buf.startsWith('<!--', pos)) {
          const end = buf.indexOf('-->', Math.max(pos + 4, this.scanFrom));
          if (end < 0) {
            this.wait(pos, len, 2);
            return;
          }
          this.done(end + 3);
        } else if (buf.startsWith('<![CDATA[', pos)) {
          const end = buf.indexOf(']]>', Math.max(pos + 9, this.scanFrom));
          if (end < 0) {
            this.wait(pos, len, 2);
            return;
          }
          if (this.names.length === 0) throw new XmlError('CDATA outside the root element');
          this.handler.text(buf.slice(pos + 9, end), true);
          this.done(end + 3);
        } else {
          throw new XmlError('DOCTYPE and other declarations are not allowed');
        }
      } else {
        // A start tag: find its '>' outside quoted attribute values.
        let i = Math.max(pos + 1, this.scanFrom);
        let quote = this.quote;
        let gt = -1;
        for (; i < len; i++) {
          const c = buf.charCodeAt(i);
          if (quote) {
            if (c === quote) quote = 0;
          } else if (c === 34 || c === 39) quote = c;
          else if (c === 62) {
            gt = i;
            break;
          } else if (c === 60) throw new XmlError('"<" inside a tag');
        }
        if (gt < 0) {
          this.quote = quote;
          this.scanFrom = len;
          this.tooLong(pos);
          return;
        }
        this.quote = 0;
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const body = buf.slice(pos + 1, selfClosing ? gt - 1 : gt);
        const m = /^[^\s]+/.exec(body);
        const name = m?.[0] ?? '';
        if (!NAME.test(name)) throw new XmlError(`bad element name "${name.slice(0, 40)}"`);
        const attrs = body.slice(name.length);
        if (attrs && !ATTRS.test(attrs)) throw new XmlError(`bad attributes on <${name}>`);
        if (this.names.length === 0) {
          if (this.sawRoot) throw new XmlError('a second root element');
          this.sawRoot = true;
        }
        if (attrs.includes('xmlns')) this.pushScope(attrs);
        const resolved = this.resolve(name);
        if (selfClosing) {
          this.handler.open(resolved, attrs, true);
          if (this.scopes.length > 1 && this.scopes[this.scopes.length - 1]!.depth > this.names.length) this.popScope();
          this.handler.close(resolved);
        } else {
          this.names.push(name);
          if (this.names.length > this.limits.maxDepth) throw new XmlError('elements nested too deeply');
          this.handler.open(resolved, attrs, false);
        }
        this.done(gt + 1);
      }
    }
  }

  private done(next: number): void {
    this.pos = next;
    this.scanFrom = next;
  }

  /** The token at `pos` is not complete yet: resume the search `overlap` characters before the end. */
  private wait(pos: number, len: number, overlap = 0): void {
    this.scanFrom = Math.max(pos, len - overlap);
    this.tooLong(pos);
  }

  private pushScope(attrs: string): void {
    const map = new Map(this.scopes[this.scopes.length - 1]!.map);
    for (const m of attrs.matchAll(ATTR)) {
      const name = m[1]!;
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const uri = decodeXmlText(m[2] ?? m[3] ?? '');
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      // A namespace this reader does not know keeps a prefix no known name can have.
      map.set(prefix, this.known.get(uri) ?? `{${uri}}`);
    }
    // Depth of the element that declares the scope: it ends when that element closes.
    this.scopes.push({ depth: this.names.length + 1, map });
    this.nameCache = new Map();
  }

  private popScope(): void {
    this.scopes.pop();
    this.nameCache = new Map();
  }
}
