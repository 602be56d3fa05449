// Minimal multipart/form-data parser: enough for what axios + form-data (the SDK's path) send.

export interface MultipartFile {
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export interface MultipartResult {
  fields: Record<string, string>;
  files: Record<string, MultipartFile>;
}

const CRLF = Buffer.from('\r\n');

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? '').trim() : undefined;
}

function param(header: string, name: string): string | undefined {
  // filename*= (RFC 5987) wins over the plain one because it carries UTF-8 safely.
  if (name === 'filename') {
    const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
    if (star?.[2]) {
      try {
        return decodeURIComponent(star[2].trim());
      } catch {
        /* fall through to the plain parameter */
      }
    }
  }
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
}

export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartResult {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error('multipart boundary missing');
  const delim = Buffer.from(`--${boundary}`);
  const between = Buffer.concat([CRLF, delim]);
  const result: MultipartResult = { fields: {}, files: {} };

  let pos = body.indexOf(delim);
  if (pos < 0) throw new Error('multipart delimiter not found');
  for (;;) {
    pos += delim.length;
    // "--" right after a delimiter closes the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    const lineEnd = body.indexOf(CRLF, pos);
    if (lineEnd < 0) throw new Error('truncated multipart body');
    pos = lineEnd + 2;

    let headerText = '';
    let dataStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      dataStart = pos + 2;
    } else {
      const headerEnd = body.indexOf('\r\n\r\n', pos);
      if (headerEnd < 0) throw new Error('truncated multipart headers');
      headerText = body.subarray(pos, headerEnd).toString('utf8');
      dataStart = headerEnd + 4;
    }
    const next = body.indexOf(between, dataStart);
    if (next < 0) throw new Error('unterminated multipart part');
    const data = body.subarray(dataStart, next);

    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    const name = param(disposition, 'name');
    if (name !== undefined) {
      const filename = param(disposition, 'filename');
      const isFile = filename !== undefined || (headers['content-type'] !== undefined && !/^text\/plain/i.test(headers['content-type']));
      if (isFile) {
        result.files[name] = { filename, contentType: headers['content-type'], data: Buffer.from(data) };
      } else {
        result.fields[name] = data.toString('utf8');
      }
    }
    pos = next + 2;
  }
  return result;
}
